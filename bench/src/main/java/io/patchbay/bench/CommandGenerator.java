package io.patchbay.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import io.patchbay.schemas.Actor;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonValue;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.rules.EvaluationRules;

/**
 * Update commands as producers and the adapter write them, in a realistic mix: both resource types, by default
 * half of the traffic on a hot fifth of the resources, one to three fields per patch across every field, mostly
 * editors, some admins and a few viewers, some status transitions the rules refuse, a few unknown ids and
 * automations addressed by slug, a few Idempotency-Keys and trace contexts. Deterministic for a given seed,
 * so the processor, the raw database loop and the naive consumer see exactly the same commands.
 */
public final class CommandGenerator {

    /** One command and where it goes: its resource type (the topic) and record key (canonical resource id). */
    public record Generated(ResourceType type, String key, String commandId, SpecificRecord command) {
    }

    /**
     * The shape of the traffic.
     *
     * @param hotShare share of the commands sent to the hot rows (the rest go to any row, hot ones included); 0 is uniform
     * @param hotFraction fraction of each resource type's rows that are hot
     * @param fieldsPerPatch fields set by each patch (automations have five at most); 0 is the default mix of one
     *                       (70%), two (20%) or three (10%)
     */
    public record Mix(double hotShare, double hotFraction, int fieldsPerPatch) {

        /** Half of the traffic on a fifth of the rows, one to three fields per patch. */
        public static final Mix DEFAULT = new Mix(0.5, 0.2, 0);

        public Mix {
            if (hotShare < 0 || hotShare > 1 || hotFraction <= 0 || hotFraction > 1 || fieldsPerPatch < 0) {
                throw new IllegalArgumentException("bad traffic mix " + hotShare + " " + hotFraction + " " + fieldsPerPatch);
            }
        }

        public Mix withSkew(double share, double fraction) {
            return new Mix(share, fraction, fieldsPerPatch);
        }

        public Mix withFieldsPerPatch(int fields) {
            return new Mix(hotShare, hotFraction, fields);
        }
    }

    private static final String PASSWORD_HASH = "pbkdf2-sha256$1000$YmVuY2gtc2FsdC0xMjM0$"
            + "a2V5LW1hdGVyaWFsLW9mLXRoZS1iZW5jaG1hcmstaGFzaA";
    private static final int EVALUATION_FIELDS = 15;
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"};

    private final BenchData data;
    private final Random random;
    private final Mix mix;
    private long sequence;

    public CommandGenerator(BenchData data, long seed) {
        this(data, seed, Mix.DEFAULT, 0);
    }

    /**
     * A generator whose commands are numbered from {@code firstSequence + 1} (names, Idempotency-Keys), so that two
     * generators over the same data do not reuse keys.
     */
    public CommandGenerator(BenchData data, long seed, Mix mix, long firstSequence) {
        this.data = data;
        this.random = new Random(seed);
        this.mix = mix;
        this.sequence = firstSequence;
    }

    public List<Generated> next(int count) {
        List<Generated> commands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            commands.add(next());
        }
        return commands;
    }

    public Generated next() {
        sequence++;
        return random.nextBoolean() ? evaluation() : automation();
    }

    private int pickResource(int count) {
        int hot = Math.max(1, (int) Math.round(count * mix.hotFraction()));
        return random.nextDouble() < mix.hotShare() ? random.nextInt(hot) : random.nextInt(count);
    }

    private String role() {
        int r = random.nextInt(100);
        return r < 85 ? "editor" : r < 98 ? "admin" : "viewer";
    }

    private Generated evaluation() {
        int i = pickResource(data.evaluations());
        int team = BenchData.teamOf(i);
        String id = random.nextInt(200) == 0 ? "beval_missing_" + sequence : BenchData.evaluationId(i);
        EvaluationPatch patch = EvaluationPatch.newBuilder().build();
        Set<String> fields = new LinkedHashSet<>();
        int n = Math.min(fieldCount(), EVALUATION_FIELDS);
        while (fields.size() < n) {
            fields.add(evaluationField());
        }
        List<String> order = new ArrayList<>();
        for (String field : fields) {
            order.add(field);
            switch (field) {
                case "name" -> patch.setName("Checkout flow " + sequence);
                case "description" -> patch.setDescription(random.nextInt(5) == 0 ? null
                        : "Compares the checkout flow of build " + sequence + " against the current release; "
                        + "raters judge clarity, speed and trust. ".repeat(1 + random.nextInt(3)));
                case "status" -> patch.setStatus(EvaluationStatus.values()[random.nextInt(EvaluationStatus.values().length)]);
                case "shareRequireEmail" -> patch.setShareRequireEmail(random.nextBoolean());
                case "shareRequireName" -> patch.setShareRequireName(random.nextBoolean());
                case "shareAllowAnon" -> patch.setShareAllowAnon(random.nextBoolean());
                case "shareExpiry" -> patch.setShareExpiry(random.nextInt(4) == 0 ? null
                        : Instant.parse("2027-01-01T00:00:00Z").plus(Duration.ofDays(random.nextInt(365))));
                case "allowMultipleRatings" -> patch.setAllowMultipleRatings(random.nextBoolean());
                case "browserEngine" -> patch.setBrowserEngine(random.nextInt(5) == 0 ? null
                        : BrowserEngine.values()[random.nextInt(BrowserEngine.values().length)]);
                case "useProxy" -> patch.setUseProxy(random.nextInt(5) == 0 ? null : random.nextBoolean());
                case "proxyRegion" -> patch.setProxyRegion(REGIONS[random.nextInt(REGIONS.length)]);
                case "modelId" -> patch.setModelId(EvaluationRules.MODEL_IDS.get(random.nextInt(EvaluationRules.MODEL_IDS.size())));
                case "shareAccess" -> {
                    ShareAccess access = ShareAccess.values()[random.nextInt(ShareAccess.values().length)];
                    patch.setShareAccess(access);
                    if (access == ShareAccess.PASSWORD_PROTECTED) {
                        patch.setSharePasswordHash(PASSWORD_HASH);
                        order.add("sharePassword");
                    }
                }
                case "type" -> patch.setType(random.nextBoolean() ? EvaluationType.SSE : EvaluationType.SxS);
                case "editorsCanShare" -> patch.setEditorsCanShare(random.nextBoolean());
                default -> throw new IllegalStateException(field);
            }
        }
        patch.setFieldOrder(order);
        String commandId = uuid();
        CommandMetadata metadata = metadata(commandId, ResourceType.EVALUATION, id, team);
        return new Generated(ResourceType.EVALUATION, id, commandId, new EvaluationUpdateCommand(metadata, patch));
    }

    private String evaluationField() {
        int r = random.nextInt(100);
        if (r < 30) return "name";
        if (r < 42) return "description";
        if (r < 54) return "status";
        if (r < 58) return "shareRequireEmail";
        if (r < 61) return "shareRequireName";
        if (r < 63) return "shareAllowAnon";
        if (r < 67) return "shareExpiry";
        if (r < 73) return "allowMultipleRatings";
        if (r < 79) return "browserEngine";
        if (r < 84) return "useProxy";
        if (r < 89) return "proxyRegion";
        if (r < 95) return "modelId";
        if (r < 98) return "shareAccess";
        if (r < 99) return "type";
        return "editorsCanShare";
    }

    private Generated automation() {
        int i = pickResource(data.automations());
        int team = BenchData.teamOf(i);
        boolean missing = random.nextInt(200) == 0;
        String id = missing ? "bauto_missing_" + sequence : BenchData.automationId(i);
        String addressed = !missing && random.nextInt(33) == 0 ? BenchData.automationSlug(i) : id;
        AutomationPatch patch = AutomationPatch.newBuilder().build();
        int n = fieldCount();
        Set<String> fields = new LinkedHashSet<>();
        while (fields.size() < Math.min(n, mix.fieldsPerPatch() > 0 ? 5 : 3)) {
            fields.add(automationField());
        }
        ConfigurationPatch configuration = null;
        for (String field : fields) {
            switch (field) {
                case "name" -> patch.setName("Quality monitor " + sequence);
                case "isEnabled" -> patch.setIsEnabled(random.nextBoolean());
                case "samplingRate" -> {
                    configuration = configuration == null ? ConfigurationPatch.newBuilder().build() : configuration;
                    configuration.setSamplingRate(random.nextInt(100) == 0 ? 1.5 : Math.round(random.nextDouble() * 1000) / 1000.0);
                }
                case "otherKeys" -> {
                    configuration = configuration == null ? ConfigurationPatch.newBuilder().build() : configuration;
                    configuration.setOtherKeys(List.of(random.nextBoolean()
                            ? new JsonMember("alert_threshold", new JsonValue(new JsonNumber(Integer.toString(random.nextInt(20)))))
                            : new JsonMember("notes", new JsonValue("tuned by run " + sequence))));
                }
                case "evaluatorIds" -> {
                    List<String> ids = new ArrayList<>();
                    int count = 1 + random.nextInt(3);
                    for (int k = 0; k < count; k++) {
                        ids.add(BenchData.evaluatorId(team, random.nextInt(BenchData.EVALUATORS_PER_TEAM)));
                    }
                    if (random.nextInt(50) == 0) {
                        ids.add("bevl_unknown_" + sequence);
                    }
                    patch.setEvaluatorIds(ids);
                }
                default -> throw new IllegalStateException(field);
            }
        }
        if (configuration != null) {
            patch.setConfiguration(configuration);
        }
        String commandId = uuid();
        CommandMetadata metadata = metadata(commandId, ResourceType.AUTOMATION, addressed, team);
        return new Generated(ResourceType.AUTOMATION, id, commandId, new AutomationUpdateCommand(metadata, patch));
    }

    private String automationField() {
        int r = random.nextInt(100);
        if (r < 30) return "name";
        if (r < 55) return "isEnabled";
        if (r < 80) return "samplingRate";
        if (r < 90) return "otherKeys";
        return "evaluatorIds";
    }

    private int fieldCount() {
        if (mix.fieldsPerPatch() > 0) {
            return mix.fieldsPerPatch();
        }
        int r = random.nextInt(10);
        return r < 7 ? 1 : r < 9 ? 2 : 3;
    }

    private CommandMetadata metadata(String commandId, ResourceType type, String resourceId, int team) {
        BenchData.Key key = data.key(team, role());
        boolean idempotent = random.nextInt(20) == 0;
        byte[] fingerprint = new byte[32];
        if (idempotent) {
            random.nextBytes(fingerprint);
        }
        return CommandMetadata.newBuilder()
                .setCommandId(commandId)
                .setResourceType(type)
                .setResourceId(resourceId)
                .setTeamId(key.teamId())
                .setActor(new Actor(key.keyId()))
                .setIdempotencyKey(idempotent ? "bench-" + sequence : null)
                .setRequestFingerprint(idempotent ? ByteBuffer.wrap(fingerprint) : null)
                .setReceivedAt(BenchData.now())
                .setRequestId(uuid())
                .setTraceparent(random.nextInt(10) < 3 ? "00-" + hex(16) + "-" + hex(8) + "-01" : null)
                .build();
    }

    private String uuid() {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
