package io.patchbay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.patchbay.bench.growth.GrowthSweep;
import io.patchbay.bench.load.LoadGenerator;
import io.patchbay.bench.peer.PeerBench;
import io.patchbay.devstack.infra.ThisJava;

/**
 * What one benchmark run does. Every size has a default for the full run and a much smaller one for
 * {@code --smoke}, the mode the test suite runs so that the instrument cannot rot.
 *
 * @param commands commands preloaded for the processor drain and the raw database baseline
 * @param resources evaluations plus automations seeded (half each)
 * @param naiveMaxCommands most commands the naive consumer is given (it is slow; its rate is what counts)
 * @param naiveMaxSeconds longest the naive consumer runs
 * @param latencySeconds measured seconds of each rate of a latency ladder
 * @param latencyFractions the rates of a latency ladder, as fractions of the implementation's drain rate
 * @param latencyLingerMillis {@code linger.ms} of the ladder's load generator: how long its producer may gather records
 *                            into one request (Kafka's default since 4.0 is 5); counted in the latency, which runs from
 *                            each record's due time
 * @param httpRates offered request rates of each HTTP ladder, ascending; a ladder stops at its first unsustainable rate
 * @param httpStepSeconds measured seconds per rate
 * @param httpWarmupSeconds unmeasured seconds at the first rate before each ladder (JIT, pools, key cache)
 * @param httpWarmupRate rate of that warm-up when not the first rate (null: the first rate)
 * @param sloP99Millis p99 bound of a sustainable rate (besides at most 0.1% failed requests)
 * @param phases phases to run (all by default); see {@link #ALL_PHASES}
 * @param peerConfigurations names of the Debezium sink configurations to run ({@link PeerBench#VARIANTS}); the
 *                           latency ladder runs against the last
 * @param growth dimensions of the growth sweep to run instead of the phases (empty: no sweep); see {@link GrowthSweep}
 * @param growthCommands commands per point of the growth sweep
 * @param chartsFrom when set, only the charts of this JSON result are drawn again (beside it)
 * @param appJvmOptions JVM options of the processor and adapter child JVMs
 * @param processorArgs extra {@code --key=value} settings for the processor (tuning experiments)
 * @param adapterArgs extra {@code --key=value} settings for the adapter
 * @param jfrDirectory when set, the child JVMs record JFR profiles there
 * @param processorJar executable jar of the processor (default: the one built in the repository)
 * @param adapterJar executable jar of the adapter (default: the one built in the repository)
 * @param legacyApiKeys seed the bench keys in the legacy PBKDF2 format (for an adapter built before the HMAC format)
 * @param serviceJava the {@code java} of the JVMs under test: patchbay's apps and the CRUD and relay baselines (the
 *                    load generators and the broker stay on this JVM's)
 * @param out where the JSON result is written
 * @param projectDirectory the repository root (exec jars, registry runner)
 */
public record BenchOptions(boolean smoke, int commands, int resources, int naiveMaxCommands, int naiveMaxSeconds,
                           double latencySeconds, List<Double> latencyFractions, int latencyLingerMillis,
                           List<Integer> httpRates, double httpStepSeconds,
                           double httpWarmupSeconds, Integer httpWarmupRate, int sloP99Millis, Set<String> phases, List<String> peerConfigurations,
                           List<String> growth, int growthCommands, Path chartsFrom, List<String> appJvmOptions,
                           Map<String, String> processorArgs, Map<String, String> adapterArgs, Path jfrDirectory,
                           Path processorJar, Path adapterJar, boolean legacyApiKeys, Path serviceJava, Path out,
                           Path projectDirectory) {

    /** The child JVMs' options when {@code --app-jvm-opts} is not given. */
    static final String DEFAULT_APP_JVM_OPTION = "-Xmx768m";

    /**
     * The child JVMs' options in {@code --smoke}: C1 only, because a smoke run measures nothing but must start a dozen
     * JVMs, whose C2 compilers would otherwise compete for the cores with everything the run starts after them.
     */
    static final List<String> SMOKE_APP_JVM_OPTIONS = List.of(DEFAULT_APP_JVM_OPTION, "-XX:TieredStopAtLevel=1");

    public static final List<String> ALL_PHASES = List.of("raw", "drain", "naive", "peer", "http", "crud", "relay", "auth");

    public static final String USAGE = """
            patchbay benchmark: processor throughput vs a raw JDBC batch loop, a naive consumer and Debezium's JDBC
            sink on Kafka Connect; latency under load; HTTP PATCH latency (open loop) vs a direct CRUD endpoint;
            resident memory of both apps; charts next to the JSON. All on loopback.

              --smoke                  seconds-long run with tiny sizes (what the test suite runs); the apps start
                                       extracted, with a class-data sharing archive, not as shipped
              --commands N             commands preloaded for the drain (default 200000)
              --resources N            resources seeded, half evaluations, half automations (default 10000)
              --naive-max-commands N   cap of the naive consumer (default 30000)
              --naive-max-seconds N    time cap of the naive consumer (default 30)
              --latency-seconds S      measured seconds per rate of a latency ladder (default 20)
              --latency-fractions a,b  its rates, as fractions of the drain rate (default 0.1,0.3,0.5,0.7,0.9)
              --latency-linger-ms N    linger.ms of the ladder's load generator, Kafka's default (default 5)
              --http-rates a,b,c       offered rates per ladder, requests/s (default 100,250,500,750,1000,1500,2000,3000,4000)
              --http-step-seconds S    measured seconds per rate (default 8)
              --http-warmup-seconds S  warm-up before each ladder (default 10)
              --http-warmup-rate R     requests/s of that warm-up (default: the first of --http-rates); a higher
                                       rate warms every JVM's JIT alike before the first measured step
              --slo-p99-ms N           p99 bound of a sustainable rate (default 100)
              --phases a,b             subset of raw,drain,naive,peer,http,crud,relay,auth (default all; peer needs
                                       drain; relay: the Kafka relay baseline in the HTTP ladders; auth: adapter CPU
                                       per wrong-secret request)
              --peer-configs a,b       Debezium sink configurations (default upsert+reduction,upsert; the latency
                                       ladder runs against the last)
              --growth [a,b]           instead of the phases: the growth sweep over the given dimensions (default
                                       all: table-size,skew,patch-size,batch-size,partitions,instances); long
                                       --growth join (on request only): a second processor joins and leaves
                                       during the latency step, under Kafka's default assignors (range
                                       first), sticky and cooperative-sticky; its steps last 40 s unless
                                       --latency-seconds says otherwise
              --growth-commands N      commands per growth point (default 100000)
              --charts-from FILE       only draw the charts of a JSON result again, beside it
              --app-jvm-opts "..."     JVM options of the processor and adapter (default "-Xmx768m"; with
                                       --smoke "-Xmx768m -XX:TieredStopAtLevel=1")
              --processor-arg k=v      extra processor setting, repeatable (e.g. patchbay.processor.max-batch=1000)
              --adapter-arg k=v        extra adapter setting, repeatable
              --jfr DIR                record JFR profiles of both apps into DIR
              --processor-jar JAR      processor executable jar to measure (default processor/target/*-exec.jar)
              --adapter-jar JAR        adapter executable jar to measure (default api-adapter/target/*-exec.jar)
              --legacy-api-keys        seed the bench's API keys in the legacy PBKDF2 format, for an --adapter-jar
                                       built before the HMAC key format (default: HMAC, one MAC per check)
              --service-java JAVA      the java executable (or its JDK's directory) of the JVMs under test: the
                                       processor, the adapter and the CRUD and relay baselines (default: the
                                       benchmark's own); the load generators and the broker keep the benchmark's
              --out FILE               JSON result (default bench/target/bench-result.json)
              --project-dir DIR        repository root (default: found from the working directory)
            """;

    public static BenchOptions parse(String... args) {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int commands = smoke ? 2_000 : 200_000;
        int resources = smoke ? 1_000 : 10_000;
        int naiveMaxCommands = smoke ? 300 : 30_000;
        int naiveMaxSeconds = smoke ? 5 : 30;
        double latencySeconds = smoke ? 1 : 20;
        boolean latencySecondsGiven = false;
        List<Double> fractions = smoke ? List.of(0.1, 0.5) : List.of(0.1, 0.3, 0.5, 0.7, 0.9);
        int latencyLinger = LoadGenerator.DEFAULT_LINGER_MS;
        List<String> peerConfigurations = smoke ? List.of("upsert")
                : List.of("upsert+reduction", "upsert");
        List<String> growth = List.of();
        int growthCommands = smoke ? 2_000 : 100_000;
        Path chartsFrom = null;
        List<Integer> rates = smoke ? List.of(100) : List.of(100, 250, 500, 750, 1000, 1500, 2000, 3000, 4000);
        double step = smoke ? 1 : 8;
        double warmup = smoke ? 0.5 : 10;
        Integer warmupRate = null;
        int slo = 100;
        Set<String> phases = new LinkedHashSet<>(ALL_PHASES);
        List<String> jvm = smoke ? SMOKE_APP_JVM_OPTIONS : List.of(DEFAULT_APP_JVM_OPTION);
        Map<String, String> processorArgs = new LinkedHashMap<>();
        Map<String, String> adapterArgs = new LinkedHashMap<>();
        Path jfr = null;
        Path processorJar = null;
        Path adapterJar = null;
        boolean legacyApiKeys = false;
        Path serviceJava = ThisJava.executable();
        Path out = null;
        Path project = System.getProperty("patchbay.bench.project-dir") == null ? null
                : Path.of(System.getProperty("patchbay.bench.project-dir"));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--smoke" -> { }
                case "--help", "-h" -> throw new UsageException(USAGE);
                case "--commands" -> commands = positive(arg, args, ++i);
                case "--resources" -> resources = positive(arg, args, ++i);
                case "--naive-max-commands" -> naiveMaxCommands = positive(arg, args, ++i);
                case "--naive-max-seconds" -> naiveMaxSeconds = positive(arg, args, ++i);
                case "--latency-seconds" -> {
                    latencySeconds = Double.parseDouble(value(arg, args, ++i));
                    latencySecondsGiven = true;
                }
                case "--latency-linger-ms" -> latencyLinger = nonNegative(arg, args, ++i);
                case "--latency-fractions" -> fractions = Arrays.stream(value(arg, args, ++i).split(",")).map(String::trim)
                        .map(Double::parseDouble).sorted().toList();
                case "--peer-configs" -> {
                    peerConfigurations = Arrays.stream(value(arg, args, ++i).split(",")).map(String::trim).toList();
                    for (String name : peerConfigurations) {
                        if (PeerBench.VARIANTS.stream().noneMatch(v -> v.name().equals(name))) {
                            throw new UsageException("unknown sink configuration " + name + "; configurations are "
                                    + PeerBench.VARIANTS.stream().map(PeerBench.Variant::name).toList());
                        }
                    }
                }
                case "--growth" -> {
                    boolean listed = i + 1 < args.length && !args[i + 1].startsWith("--");
                    growth = listed ? Arrays.stream(args[++i].split(",")).map(String::trim).toList() : GrowthSweep.DIMENSIONS;
                    for (String dimension : growth) {
                        if (!GrowthSweep.DIMENSIONS.contains(dimension) && !GrowthSweep.ON_REQUEST.contains(dimension)) {
                            throw new UsageException("unknown growth dimension " + dimension + "; dimensions are "
                                    + GrowthSweep.DIMENSIONS + ", and on request " + GrowthSweep.ON_REQUEST);
                        }
                    }
                }
                case "--growth-commands" -> growthCommands = positive(arg, args, ++i);
                case "--charts-from" -> chartsFrom = Path.of(value(arg, args, ++i)).toAbsolutePath();
                case "--http-rates" -> rates = Arrays.stream(value(arg, args, ++i).split(",")).map(String::trim)
                        .map(Integer::parseInt).sorted().toList();
                case "--http-step-seconds" -> step = Double.parseDouble(value(arg, args, ++i));
                case "--http-warmup-seconds" -> warmup = Double.parseDouble(value(arg, args, ++i));
                case "--http-warmup-rate" -> warmupRate = positive(arg, args, ++i);
                case "--slo-p99-ms" -> slo = positive(arg, args, ++i);
                case "--phases" -> {
                    phases = new LinkedHashSet<>(Arrays.stream(value(arg, args, ++i).split(",")).map(String::trim).toList());
                    for (String phase : phases) {
                        if (!ALL_PHASES.contains(phase)) {
                            throw new UsageException("unknown phase " + phase + "; phases are " + ALL_PHASES);
                        }
                    }
                }
                case "--app-jvm-opts" -> jvm = Arrays.stream(value(arg, args, ++i).trim().split("\\s+"))
                        .filter(s -> !s.isEmpty()).toList();
                case "--processor-arg" -> put(processorArgs, value(arg, args, ++i));
                case "--adapter-arg" -> put(adapterArgs, value(arg, args, ++i));
                case "--jfr" -> jfr = Path.of(value(arg, args, ++i)).toAbsolutePath();
                case "--processor-jar" -> processorJar = Path.of(value(arg, args, ++i)).toAbsolutePath();
                case "--adapter-jar" -> adapterJar = Path.of(value(arg, args, ++i)).toAbsolutePath();
                case "--legacy-api-keys" -> legacyApiKeys = true;
                case "--service-java" -> serviceJava = javaExecutable(value(arg, args, ++i));
                case "--out" -> out = Path.of(value(arg, args, ++i)).toAbsolutePath();
                case "--project-dir" -> project = Path.of(value(arg, args, ++i));
                default -> throw new UsageException("unknown option " + arg + "\n\n" + USAGE);
            }
        }
        Path projectDir = project != null ? project.toAbsolutePath() : findProjectDirectory();
        if (out == null) {
            out = projectDir.resolve("bench").resolve("target").resolve((smoke ? "bench-smoke-" : "bench-")
                    + (growth.isEmpty() ? "result.json" : "growth.json"));
        }
        if (growth.contains("join") && !latencySecondsGiven) {
            latencySeconds = GrowthSweep.JOIN_LATENCY_SECONDS;
        }
        if (rates.isEmpty()) {
            throw new UsageException("--http-rates needs at least one rate");
        }
        if (fractions.isEmpty() || fractions.stream().anyMatch(f -> f <= 0)) {
            throw new UsageException("--latency-fractions needs positive fractions");
        }
        return new BenchOptions(smoke, commands, resources - resources % 2, naiveMaxCommands, naiveMaxSeconds,
                latencySeconds, List.copyOf(fractions), latencyLinger, List.copyOf(rates), step, warmup, warmupRate, slo, Set.copyOf(phases),
                List.copyOf(peerConfigurations), List.copyOf(growth), growthCommands, chartsFrom, List.copyOf(jvm),
                Map.copyOf(processorArgs), Map.copyOf(adapterArgs), jfr,
                processorJar != null ? processorJar : jar(projectDir, "processor"),
                adapterJar != null ? adapterJar : jar(projectDir, "api-adapter"), legacyApiKeys, serviceJava, out,
                projectDir);
    }

    /** {@code value} if it is an executable file, else {@code value/bin/java} if that is one (a JDK's directory). */
    static Path javaExecutable(String value) {
        Path path = Path.of(value).toAbsolutePath();
        Path java = Files.isDirectory(path) ? path.resolve("bin").resolve("java") : path;
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw new UsageException("--service-java " + value + ": no java executable there");
        }
        return java;
    }

    private static Path jar(Path projectDir, String module) {
        try {
            return AppProcess.execJar(projectDir, module);
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
    }

    public boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** The sink configurations to run, in order. */
    public List<PeerBench.Variant> peerVariants() {
        return peerConfigurations.stream()
                .map(name -> PeerBench.VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow())
                .toList();
    }

    /** The repository root: the nearest directory upwards holding {@code processor/} and {@code api-adapter/}. */
    static Path findProjectDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("processor")) && Files.isDirectory(dir.resolve("api-adapter"))) {
                return dir;
            }
        }
        throw new UsageException("cannot find the patchbay repository root from " + Path.of("").toAbsolutePath()
                + "; run from inside it or pass --project-dir");
    }

    /** The options as they appear in the JSON result. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("smoke", smoke);
        map.put("commands", commands);
        map.put("resources", resources);
        map.put("naiveMaxCommands", naiveMaxCommands);
        map.put("naiveMaxSeconds", naiveMaxSeconds);
        map.put("latencySeconds", latencySeconds);
        map.put("latencyFractions", latencyFractions);
        map.put("latencyLingerMillis", latencyLingerMillis);
        map.put("httpRates", httpRates);
        map.put("httpStepSeconds", httpStepSeconds);
        map.put("httpWarmupSeconds", httpWarmupSeconds);
        map.put("httpWarmupRate", httpWarmupRate != null ? httpWarmupRate : httpRates.get(0));
        map.put("sloP99Millis", sloP99Millis);
        map.put("phases", ALL_PHASES.stream().filter(phases::contains).toList());
        map.put("peerConfigurations", peerConfigurations);
        if (!growth.isEmpty()) {
            map.put("growth", growth);
            map.put("growthCommands", growthCommands);
        }
        map.put("appJvmOptions", appJvmOptions);
        map.put("processorArgs", processorArgs);
        map.put("adapterArgs", adapterArgs);
        map.put("processorJar", processorJar.toString());
        map.put("adapterJar", adapterJar.toString());
        map.put("apiKeyFormat", legacyApiKeys ? "legacy PBKDF2" : "HMAC");
        map.put("serviceJava", serviceJava.toString());
        return map;
    }

    private static void put(Map<String, String> map, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("expected key=value, got " + keyValue);
        }
        map.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    private static String value(String option, String[] args, int index) {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(String option, String[] args, int index) {
        return atLeast(1, "be positive", option, args, index);
    }

    private static int nonNegative(String option, String[] args, int index) {
        return atLeast(0, "not be negative", option, args, index);
    }

    private static int atLeast(int least, String must, String option, String[] args, int index) {
        int value = Integer.parseInt(value(option, args, index));
        if (value < least) {
            throw new UsageException(option + " must " + must);
        }
        return value;
    }

    /** Bad command line; the message is for the user. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    static List<String> asList(Map<String, String> settings) {
        List<String> list = new ArrayList<>();
        settings.forEach((k, v) -> list.add("--" + k + "=" + v));
        return list;
    }
}
