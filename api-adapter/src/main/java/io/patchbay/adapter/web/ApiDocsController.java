package io.patchbay.adapter.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The OpenAPI 3.1 document of both APIs, the command and the history routes: {@code GET /v3/api-docs} (JSON) and
 * {@code GET /v3/api-docs.yaml} (the file as maintained). The document is written by hand ({@code openapi.yaml} beside
 * this class's package in the resources), because the controllers serve two APIs through one generic path that
 * annotations would describe badly; springdoc's generated document is turned off ({@code
 * springdoc.enable-default-api-docs=false}) and its Swagger UI reads this one. Public, like any API's reference: no
 * API key, no rate limit. OpenApiIT checks the document against the running adapter.
 */
@RestController
public class ApiDocsController {

    /** Where the document is served as JSON (springdoc's default, which its Swagger UI and tools expect). */
    public static final String JSON = "/v3/api-docs";
    /** The document as written. */
    public static final String YAML = "/v3/api-docs.yaml";
    private static final String RESOURCE = "/io/patchbay/adapter/openapi.yaml";
    private static final MediaType APPLICATION_YAML = MediaType.parseMediaType("application/yaml");

    private final byte[] yaml;
    private final byte[] json;

    public ApiDocsController() {
        this.yaml = read();
        JsonNode document = YAMLMapper.builder().build().readTree(yaml);
        this.json = JsonValues.MAPPER.writeValueAsBytes(document);
    }

    @GetMapping(JSON)
    public ResponseEntity<byte[]> json() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
    }

    @GetMapping(YAML)
    public ResponseEntity<byte[]> yaml() {
        return ResponseEntity.ok().contentType(APPLICATION_YAML).body(yaml);
    }

    /** OPTIONS is not served (no CORS): 405, as on the other routes. */
    @RequestMapping(path = {JSON, YAML}, method = RequestMethod.OPTIONS)
    public void options() throws HttpRequestMethodNotSupportedException {
        throw new HttpRequestMethodNotSupportedException("OPTIONS", List.of("GET"));
    }

    private static byte[] read() {
        try (InputStream in = ApiDocsController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the adapter's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
