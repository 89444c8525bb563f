package io.patchbay.devstack.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;

import io.patchbay.devstack.PatchbayStack;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.testing.http.ApiClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The OpenAPI document the adapter serves ({@code /v3/api-docs}, the hand-written {@code openapi.yaml}) against the
 * adapter itself: every request example is sent and gets the status the document files it under, with that
 * response's required headers and a body valid against its schema; every route the adapter maps is in the document
 * and every route of the document is mapped. The conventions of the examples are in the document's
 * {@code info.description}. A stack of its own, so that the examples meet the demo data as seeded.
 */
class OpenApiIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.ofItsOwn("openapi");
    private static final String DOCUMENT_URI = "https://patchbay.invalid/openapi.json";
    private static final List<String> METHODS = List.of("get", "patch", "put", "post", "delete");

    private static JsonNode document;
    private static SchemaRegistry schemas;

    @BeforeAll
    static void fetchTheDocument() {
        HttpResponse<String> response = fx.http().call("GET", "/v3/api-docs").send();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        document = JsonValues.MAPPER.readTree(response.body());
        String text = response.body();
        schemas = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance(), builder -> builder.schemas(Map.of(DOCUMENT_URI, text)));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void theDocumentIsOpenApi31AndTheYamlIsTheSameDocument() {
        assertThat(document.get("openapi").stringValue()).startsWith("3.1.");
        HttpResponse<String> yaml = fx.http().call("GET", "/v3/api-docs.yaml").send();
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        JsonNode fromYaml = YAMLMapper.builder().build().readTree(yaml.body());
        // through JSON text, so that numbers compare as the adapter's parser reads them
        assertThat(JsonValues.MAPPER.readTree(JsonValues.MAPPER.writeValueAsString(fromYaml))).isEqualTo(document);
    }

    @Test
    void everyDocumentedRequestExampleGetsItsDocumentedStatusHeadersAndSchema() {
        List<Example> examples = examples();
        assertThat(examples).hasSizeGreaterThan(40);
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (boolean dependent : new boolean[] {false, true}) {
            for (Example example : examples) {
                if (example.dependsOn().isEmpty() != dependent) {
                    HttpResponse<String> answer = send(example, answers);
                    answers.put(example.method() + " " + example.path() + " " + example.name(), answer);
                    failures.addAll(check(example, answer));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyResponseExampleOfTheDocumentMatchesItsOwnSchema() {
        List<String> failures = new ArrayList<>();
        for (Operation operation : operations()) {
            JsonNode responses = operation.node().get("responses");
            for (String status : responses.propertyNames()) {
                Located response = resolve(responses.get(status), operation.pointer() + "/responses/" + escape(status));
                JsonNode content = response.node().path("content").path("application/json");
                if (content.isMissingNode()) {
                    continue;
                }
                for (String name : content.path("examples").propertyNames()) {
                    JsonNode value = resolve(content.get("examples").get(name), "").node().get("value");
                    for (Error error : schema(response.pointer() + "/content/application~1json/schema").validate(value)) {
                        failures.add(operation + " " + status + " example " + name + ": " + error);
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyMappedRouteIsDocumentedAndEveryDocumentedRouteIsMapped() {
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingHandlerMapping mapping : fx.apps().adapter().getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                // the OPTIONS handlers only refuse OPTIONS with the API's 405 (CORS is not served); /error is Spring Boot's
                // error page, which the container's error dispatch reaches, not a route of either API
                if (methods.equals(Set.of(RequestMethod.OPTIONS)) || info.getPathPatternsCondition().getPatternValues().equals(Set.of("/error"))) {
                    continue;
                }
                for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                    for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.values()) : methods) {
                        mapped.add(method.name() + " " + normalize(pattern));
                    }
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        for (Operation operation : operations()) {
            documented.add(operation.method().toUpperCase(Locale.ROOT) + " " + normalize(operation.path()));
        }
        assertThat(documented).as("documented routes (left) against the adapter's mapped routes").isEqualTo(mapped);
    }

    @Test
    void swaggerUiIsServedWithoutAKeyAndReadsTheDocument() {
        HttpResponse<String> page = fx.http().call("GET", "/swagger-ui.html").send();
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/swagger-ui/index.html"));
        HttpResponse<String> index = fx.http().call("GET", "/swagger-ui/index.html").send();
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("swagger-ui");
        HttpResponse<String> config = fx.http().call("GET", "/v3/api-docs/swagger-config").send();
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(config).get("url").stringValue()).isEqualTo("/v3/api-docs.yaml");
        assertThat(index.headers().firstValue("X-Request-Id")).isPresent();
    }

    /** Odd requests to the documentation routes are refused in the API's format, never with a 5xx. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PATCH|/v3/api-docs||405",
            "DELETE|/v3/api-docs.yaml||405",
            "OPTIONS|/v3/api-docs||405",
            "GET|/v3/api-docs|Content-Type=application/*|200",
            "GET|/v3/api-docs|Accept=text/html|200",
            "GET|/v3/api-docs|Authorization=Bearer nonsense|200",
            "GET|/v3/api-docs/nope||404",
            "GET|/swagger-ui/nope.js||404",
            "GET|/swagger-ui/..%2F..%2Fetc%2Fpasswd||400",
            "GET|/swagger-ui/../../etc/passwd||400",
            "POST|/swagger-ui/index.html||405",
            "GET|/swagger-ui/index.html|Content-Type=multipart/form-data|200",
            "GET|/v3/api-docs/swagger-config|Accept=application/xml|406"})
    void oddRequestsToTheDocumentationAreRefusedWithoutA5xx(String method, String path, String header, int status) {
        ApiClient.Call call = fx.http().call(method, path);
        if (header != null) {
            call.header(header.substring(0, header.indexOf('=')), header.substring(header.indexOf('=') + 1));
        }
        HttpResponse<String> response = call.send();
        assertThat(response.statusCode()).as(method + " " + path + " " + header + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        if (status == 405) {
            assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        }
    }

    // ---- the document's examples

    /** An operation of the document, its path item's $ref resolved. */
    private record Operation(String path, String method, JsonNode node, String pointer) {
        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    /**
     * One request example: its name, where it goes, what it sends, under which key.
     *
     * @param dependsOn "METHOD path name" of the example whose Location gives a path parameter, or empty
     */
    private record Example(Operation operation, String name, Map<String, String> pathParameters, Map<String, String> query,
                           Map<String, String> headers, JsonNode body, String key, String dependsOn, String dependentParameter) {
        String method() {
            return operation.method().toUpperCase(Locale.ROOT);
        }

        String path() {
            return operation.path();
        }

        @Override
        public String toString() {
            return operation + " example " + name;
        }
    }

    private record Located(JsonNode node, String pointer) {
    }

    private static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        JsonNode paths = document.get("paths");
        for (String path : paths.propertyNames()) {
            Located item = resolve(paths.get(path), "/paths/" + escape(path));
            for (String method : METHODS) {
                if (item.node().has(method)) {
                    operations.add(new Operation(path, method, item.node().get(method), item.pointer() + "/" + method));
                }
            }
        }
        return operations;
    }

    private static List<Example> examples() {
        List<Example> examples = new ArrayList<>();
        for (Operation operation : operations()) {
            List<JsonNode> parameters = new ArrayList<>();
            operation.node().path("parameters").values().forEach(p -> parameters.add(resolve(p, "").node()));
            JsonNode bodyExamples = operation.node().path("requestBody").path("content").path("application/json").path("examples");
            Set<String> names = new TreeSet<>(bodyExamples.propertyNames());
            parameters.forEach(p -> names.addAll(p.path("examples").propertyNames()));
            for (String name : names) {
                Map<String, String> path = new LinkedHashMap<>();
                Map<String, String> query = new LinkedHashMap<>();
                Map<String, String> headers = new LinkedHashMap<>();
                List<JsonNode> chosen = new ArrayList<>();
                String dependsOn = "";
                String dependent = null;
                for (JsonNode parameter : parameters) {
                    JsonNode examplesOf = parameter.path("examples");
                    JsonNode example = examplesOf.has(name) ? examplesOf.get(name)
                            : parameter.get("in").stringValue().equals("path") ? examplesOf.values().iterator().next() : null;
                    if (example == null) {
                        continue;
                    }
                    example = resolve(example, "").node();
                    if (examplesOf.has(name)) {
                        chosen.add(example);
                    }
                    String parameterName = parameter.get("name").stringValue();
                    String value = example.get("value").isString() ? example.get("value").stringValue() : example.get("value").toString();
                    switch (parameter.get("in").stringValue()) {
                        case "path" -> path.put(parameterName, value);
                        case "query" -> query.put(parameterName, value);
                        case "header" -> headers.put(parameterName, value);
                        default -> throw new AssertionError("parameter in " + parameter.get("in"));
                    }
                    if (example.has("x-patchbay-from")) {
                        dependsOn = example.get("x-patchbay-from").stringValue();
                        dependent = parameterName;
                    }
                }
                JsonNode body = null;
                if (bodyExamples.has(name)) {
                    JsonNode example = resolve(bodyExamples.get(name), "").node();
                    chosen.add(example);
                    body = example.get("value");
                }
                String key = chosen.stream().filter(e -> e.has("x-patchbay-key")).map(e -> e.get("x-patchbay-key").stringValue())
                        .findFirst().orElse("acme_owner");
                examples.add(new Example(operation, name, path, query, headers, body, key, dependsOn, dependent));
            }
        }
        return examples;
    }

    private static HttpResponse<String> send(Example example, Map<String, HttpResponse<String>> answers) {
        Map<String, String> pathParameters = new LinkedHashMap<>(example.pathParameters());
        if (!example.dependsOn().isEmpty()) {
            HttpResponse<String> earlier = answers.get(example.dependsOn());
            assertThat(earlier).as(example + " depends on " + example.dependsOn() + ", which is no example").isNotNull();
            String location = earlier.headers().firstValue("Location").orElseThrow(
                    () -> new AssertionError(example.dependsOn() + " answered without Location: " + earlier.statusCode()));
            pathParameters.put(example.dependentParameter(), location.substring(location.lastIndexOf('/') + 1));
        }
        String target = example.path();
        for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
            target = target.replace("{" + parameter.getKey() + "}", URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
        }
        StringBuilder query = new StringBuilder();
        example.query().forEach((name, value) -> query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        ApiClient.Call call = fx.http().call(example.method(), target + query);
        example.headers().forEach(call::header);
        switch (example.key()) {
            case "none" -> { }
            case "invalid" -> call.token("pb.acme_owner.not-the-secret");
            default -> call.token(fx.token(example.key()));
        }
        if (example.body() != null) {
            call.json(example.body().toString());
        }
        return call.send();
    }

    private static List<String> check(Example example, HttpResponse<String> answer) {
        List<String> failures = new ArrayList<>();
        JsonNode responses = example.operation().node().get("responses");
        List<String> statuses = new ArrayList<>();
        Located expected = null;
        for (String status : responses.propertyNames()) {
            Located response = resolve(responses.get(status), example.operation().pointer() + "/responses/" + escape(status));
            if (response.node().path("content").path("application/json").path("examples").has(example.name())) {
                statuses.add(status);
                expected = response;
            }
        }
        if (statuses.size() != 1) {
            return List.of(example + ": documented under " + statuses.size() + " responses " + statuses + " instead of one");
        }
        String summary = example + " answered " + answer.statusCode() + " " + answer.body();
        if (!statuses.get(0).equals(Integer.toString(answer.statusCode()))) {
            return List.of(summary + ", documented " + statuses.get(0));
        }
        JsonNode headers = expected.node().path("headers");
        for (String name : headers.propertyNames()) {
            JsonNode header = resolve(headers.get(name), "").node();
            java.util.Optional<String> sent = answer.headers().firstValue(name);
            if (header.path("required").asBoolean(false) && sent.isEmpty()) {
                failures.add(summary + ": lacks the required header " + name);
            }
            if (name.equals("traceparent") && sent.isEmpty()) {
                failures.add(summary + ": lacks the documented traceparent header (the devstack traces)");
            }
            JsonNode patternNode = header.path("schema").path("pattern");
            String pattern = patternNode.isString() ? patternNode.stringValue() : null;
            if (pattern != null && sent.isPresent() && !sent.get().matches(pattern)) {
                failures.add(summary + ": header " + name + "=" + sent.get() + " does not match " + pattern);
            }
        }
        JsonNode body = JsonValues.MAPPER.readTree(answer.body());
        for (Error error : schema(expected.pointer() + "/content/application~1json/schema").validate(body)) {
            failures.add(summary + ": " + error);
        }
        return failures;
    }

    private static Schema schema(String pointer) {
        return schemas.getSchema(SchemaLocation.of(DOCUMENT_URI + "#" + pointer));
    }

    /** {@code node} with its {@code $ref}s (local ones, which are all the document has) followed, and where it is. */
    private static Located resolve(JsonNode node, String pointer) {
        while (node.has("$ref")) {
            pointer = node.get("$ref").stringValue().substring(1);
            node = document.at(pointer);
            assertThat(node.isMissingNode()).as("$ref " + pointer).isFalse();
        }
        return new Located(node, pointer);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A path pattern with its variables' names left out: {@code /api/v1/evaluations/{}}. */
    private static String normalize(String pattern) {
        return pattern.replaceAll("\\{[^}]*}", "{}");
    }
}
