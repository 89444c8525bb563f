package io.patchbay.schemas.registry.internal;

import io.patchbay.schemas.registry.IncompatibleSchemaException;
import io.patchbay.schemas.registry.InvalidSchemaException;
import io.patchbay.schemas.registry.RegisteredSchema;
import io.patchbay.schemas.registry.RegistryAuthException;
import io.patchbay.schemas.registry.RegistryNotFoundException;
import io.patchbay.schemas.registry.RegistryUnavailableException;
import io.patchbay.schemas.registry.SchemaNotFoundException;
import io.patchbay.schemas.registry.SchemaRegistryClient;
import io.patchbay.schemas.registry.SchemaRegistryException;
import io.patchbay.schemas.registry.SubjectNotFoundException;
import io.patchbay.schemas.retry.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Confluent REST API over {@link HttpClient}, without caching (see {@link CachingSchemaRegistryClient}).
 * Retries I/O errors, 5xx, 408 and 429 with exponential backoff and jitter; maps every other answer to the
 * exception hierarchy of {@link SchemaRegistryException}. Thread-safe.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int MAX_BODY_IN_MESSAGE = 300;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);

    private final ConnectionSettings settings;
    private final HttpClient http;
    private final Backoff backoff;
    private final Sleeper sleeper;

    public HttpSchemaRegistryClient(ConnectionSettings settings) {
        this(settings, Sleeper.REAL);
    }

    public HttpSchemaRegistryClient(ConnectionSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.backoff = new Backoff(settings.retryWait(), settings.retryMaxWait());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * Registers {@code schema} under {@code subject}. When the registry refuses with 409, or keeps answering 5xx
     * until the retries are spent, the schema may be there all the same: a writer elsewhere registered it at the
     * same moment (Apicurio then answers 409 "already exists", or 500 from its unique index, for a few retries).
     * So both are answered with a lookup of the schema under the subject, whose id is the answer; only when the
     * schema is not there does the refusal stand (a 409 is then a real incompatibility).
     */
    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        String what = "registering schema " + schema.getFullName() + " under subject '" + subject + "'";
        try {
            JsonNode answer = call("POST", "/subjects/" + segment(subject) + "/versions" + normalizeQuery(normalize),
                    schemaBody(schema), what, (msg, status, code) -> new SubjectNotFoundException(msg, status, code));
            return requireInt(answer, "id", what);
        } catch (IncompatibleSchemaException refused) {
            return registeredMeanwhile(subject, schema, normalize, refused);
        } catch (RegistryUnavailableException refused) {
            if (refused.httpStatus() < 500 || Thread.currentThread().isInterrupted()) {
                throw refused; // unreachable or interrupted: a lookup would fail the same way
            }
            return registeredMeanwhile(subject, schema, normalize, refused);
        }
    }

    /** The id of {@code schema} under {@code subject} when it is registered after all; else {@code refused}. */
    private int registeredMeanwhile(String subject, Schema schema, boolean normalize, SchemaRegistryException refused) {
        int id;
        try {
            id = lookup(subject, schema, normalize);
        } catch (RegistryNotFoundException notThere) {
            throw refused;
        } catch (SchemaRegistryException lookupFailed) {
            refused.addSuppressed(lookupFailed);
            throw refused;
        }
        LOG.info("Schema registry refused registering {} under subject '{}' ({}), but it is registered there (id {}):"
                + " another writer registered it at the same moment", schema.getFullName(), subject,
                refused.httpStatus(), id);
        return id;
    }

    @Override
    public int lookup(String subject, Schema schema, boolean normalize) {
        String what = "looking up schema " + schema.getFullName() + " under subject '" + subject + "'";
        JsonNode answer = call("POST", "/subjects/" + segment(subject) + normalizeQuery(normalize),
                schemaBody(schema), what, (msg, status, code) -> code == 40401
                        ? new SubjectNotFoundException(msg, status, code)
                        : new SchemaNotFoundException(msg, status, code));
        return requireInt(answer, "id", what);
    }

    @Override
    public Schema getById(int id) {
        String what = "fetching schema id " + id;
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, what,
                (msg, status, code) -> new SchemaNotFoundException(msg, status, code));
        return parseSchema(answer, what);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        String what = "fetching the latest version of subject '" + subject + "'";
        JsonNode answer = call("GET", "/subjects/" + segment(subject) + "/versions/latest", null, what,
                (msg, status, code) -> new SubjectNotFoundException(msg, status, code));
        String answeredSubject = answer.path("subject").isString() ? answer.path("subject").asString() : subject;
        return new RegisteredSchema(answeredSubject, requireInt(answer, "id", what),
                requireInt(answer, "version", what), parseSchema(answer, what));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        String what = "checking schema " + schema.getFullName() + " against subject '" + subject + "'";
        try {
            JsonNode answer = call("POST", "/compatibility/subjects/" + segment(subject) + "/versions/latest",
                    schemaBody(schema), what, (msg, status, code) -> new SubjectNotFoundException(msg, status, code));
            JsonNode verdict = answer.get("is_compatible");
            if (verdict == null || !verdict.isBoolean()) {
                throw unexpected(what, "no boolean is_compatible in " + abbreviate(answer.toString()));
            }
            return verdict.asBoolean();
        } catch (RegistryNotFoundException e) {
            return true; // no version yet: anything is compatible
        }
    }

    @Override
    public String getCompatibility(String subject) {
        if (subject == null) {
            String what = "fetching the global compatibility level";
            return compatibilityLevel(call("GET", "/config", null, what,
                    (msg, status, code) -> new RegistryNotFoundException(msg, status, code)), what);
        }
        String what = "fetching the compatibility level of subject '" + subject + "'";
        try {
            return compatibilityLevel(call("GET", "/config/" + segment(subject) + "?defaultToGlobal=true", null, what,
                    (msg, status, code) -> new SubjectNotFoundException(msg, status, code)), what);
        } catch (RegistryNotFoundException e) {
            return getCompatibility(null); // no level of its own
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        String normalized = checkLevel(level);
        String what = subject == null ? "setting the global compatibility level to " + normalized
                : "setting the compatibility level of subject '" + subject + "' to " + normalized;
        ObjectNode body = JSON.createObjectNode();
        body.put("compatibility", normalized);
        call("PUT", subject == null ? "/config" : "/config/" + segment(subject), JSON.writeValueAsString(body), what,
                (msg, status, code) -> new SubjectNotFoundException(msg, status, code));
    }

    static String checkLevel(String level) {
        String normalized = level == null ? null : level.trim().toUpperCase(Locale.ROOT);
        if (normalized == null || !COMPATIBILITY_LEVELS.contains(normalized)) {
            throw new IllegalArgumentException("unknown compatibility level '" + level + "'; expected one of "
                    + COMPATIBILITY_LEVELS);
        }
        return normalized;
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + settings.describeUrls() + "]";
    }

    // ------------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface NotFound {
        RegistryNotFoundException create(String message, int status, int errorCode);
    }

    private JsonNode call(String method, String pathAndQuery, String body, String what, NotFound notFound) {
        int attempts = settings.maxRetries() + 1;
        int urls = settings.baseUrls().size();
        Throwable lastError = null;
        int lastStatus = SchemaRegistryException.NO_STATUS;
        String lastProblem = "";
        URI uri = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            uri = URI.create(stripTrailingSlash(settings.baseUrls().get((attempt - 1) % urls).toString()) + pathAndQuery);
            HttpRequest request = request(method, uri, body);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parseJson(response.body(), what, method, uri);
                }
                if (status >= 500 || status == 408 || status == 429) {
                    ErrorBody error = ErrorBody.parse(response.body());
                    lastStatus = status;
                    lastError = null;
                    lastProblem = "answered " + status + error.describe();
                } else {
                    boolean sendsSchema = body != null && !method.equals("PUT");
                    throw mapError(status, ErrorBody.parse(response.body()), what, method, uri, sendsSchema, notFound);
                }
            } catch (IOException e) {
                lastError = e;
                lastStatus = SchemaRegistryException.NO_STATUS;
                lastProblem = "failed: " + describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(what + ": interrupted during " + method + " " + uri,
                        attempt, SchemaRegistryException.NO_STATUS, e);
            }
            if (attempt < attempts) {
                Duration delay = backoff.delay(attempt);
                LOG.warn("Schema registry {} {} {} (attempt {} of {}); retrying in {} ms", method, uri, lastProblem,
                        attempt, attempts, delay.toMillis());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException(what + ": interrupted while waiting to retry " + method
                            + " " + uri + " (last attempt " + lastProblem + ")", attempt, lastStatus, e);
                }
            }
        }
        throw new RegistryUnavailableException(what + ": schema registry " + settings.describeUrls()
                + " unavailable after " + attempts + (attempts == 1 ? " attempt" : " attempts") + "; last "
                + method + " " + uri + " " + lastProblem, attempts, lastStatus, lastError);
    }

    private HttpRequest request(String method, URI uri, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", ACCEPT);
        if (settings.authorization() != null) {
            builder.header("Authorization", settings.authorization());
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static SchemaRegistryException mapError(int status, ErrorBody error, String what, String method, URI uri,
                                                    boolean sendsSchema, NotFound notFound) {
        String message = what + ": " + method + " " + uri + " answered " + status + error.describe();
        return switch (status) {
            case 404 -> notFound.create(message, status, error.code());
            case 409 -> new IncompatibleSchemaException(message, status, error.code());
            case 422 -> sendsSchema || error.code() == 42201
                    ? new InvalidSchemaException(message, status, error.code())
                    : new SchemaRegistryException(message, status, error.code(), null);
            case 401, 403 -> new RegistryAuthException(message, status, error.code());
            default -> new SchemaRegistryException(message, status, error.code(), null);
        };
    }

    private static JsonNode parseJson(String body, String what, String method, URI uri) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw unexpected(what, method + " " + uri + " answered with something that is not JSON: "
                    + abbreviate(body));
        }
    }

    private Schema parseSchema(JsonNode answer, String what) {
        String type = answer.path("schemaType").isString() ? answer.path("schemaType").asString() : "AVRO";
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw unexpected(what, "the schema is of type " + type + ", not AVRO");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isString()) {
            throw unexpected(what, "no schema string in " + abbreviate(answer.toString()));
        }
        Schema.Parser parser = new Schema.Parser().setValidateDefaults(false);
        addReferences(parser, answer.path("references"), new HashSet<>(), what);
        try {
            return parser.parse(text.asString());
        } catch (SchemaParseException e) {
            throw unexpected(what, "the registry's schema does not parse: " + e.getMessage());
        }
    }

    /** Defines the referenced schemas (depth first) in {@code parser}, so the main schema can name them. */
    private void addReferences(Schema.Parser parser, JsonNode references, Set<String> seen, String what) {
        if (!references.isArray()) {
            return;
        }
        for (JsonNode reference : references) {
            String subject = reference.path("subject").asString("");
            String version = reference.path("version").asString("");
            if (subject.isEmpty() || version.isEmpty() || !seen.add(subject + "/" + version)) {
                continue;
            }
            String referenceWhat = what + ", reference " + reference.path("name").asString("?") + " (subject '"
                    + subject + "' version " + version + ")";
            JsonNode answer = call("GET", "/subjects/" + segment(subject) + "/versions/" + segment(version), null,
                    referenceWhat, (msg, status, code) -> new SchemaNotFoundException(msg, status, code));
            addReferences(parser, answer.path("references"), seen, referenceWhat);
            try {
                parser.parse(answer.path("schema").asString(""));
            } catch (SchemaParseException e) {
                throw unexpected(referenceWhat, "the referenced schema does not parse: " + e.getMessage());
            }
        }
    }

    private static String compatibilityLevel(JsonNode answer, String what) {
        for (String field : new String[] {"compatibilityLevel", "compatibility"}) {
            JsonNode level = answer.get(field);
            if (level != null && level.isString()) {
                return level.asString();
            }
        }
        throw unexpected(what, "no compatibilityLevel in " + abbreviate(answer.toString()));
    }

    private static int requireInt(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpected(what, "no integer '" + field + "' in " + abbreviate(answer.toString()));
        }
        return value.asInt();
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return JSON.writeValueAsString(body);
    }

    private static String normalizeQuery(boolean normalize) {
        return normalize ? "?normalize=true" : "";
    }

    static String segment(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static SchemaRegistryException unexpected(String what, String detail) {
        return new SchemaRegistryException(what + ": " + detail);
    }

    /** The innermost message of an I/O error; the JDK client often wraps "Connection refused" in a bare one. */
    private static String describe(Throwable error) {
        String description = error.getClass().getSimpleName();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t == error ? description + ": " + t.getMessage()
                        : description + " (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
            }
        }
        return description;
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    /** The {@code {"error_code": N, "message": "..."}} of an error answer, or whatever text came instead. */
    private record ErrorBody(int code, String message) {

        static ErrorBody parse(String body) {
            if (body == null || body.isBlank()) {
                return new ErrorBody(SchemaRegistryException.NO_ERROR_CODE, "");
            }
            try {
                JsonNode json = JSON.readTree(body);
                if (json.isObject()) {
                    JsonNode code = json.get("error_code");
                    JsonNode message = json.get("message");
                    return new ErrorBody(code != null && code.canConvertToInt() ? code.asInt()
                            : SchemaRegistryException.NO_ERROR_CODE,
                            message == null || message.isNull() ? ""
                                    : abbreviate(message.isString() ? message.asString() : message.toString()));
                }
            } catch (JacksonException e) {
                // not JSON: keep the text
            }
            return new ErrorBody(SchemaRegistryException.NO_ERROR_CODE, abbreviate(body));
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            if (code != SchemaRegistryException.NO_ERROR_CODE) {
                text.append(" (error_code ").append(code).append(')');
            }
            if (!message.isEmpty()) {
                text.append(": ").append(message);
            }
            return text.toString();
        }
    }
}
