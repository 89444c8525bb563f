package io.patchbay.adapter.http;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;

/** Writing an answer to the servlet response directly, where no Spring MVC return value handler does it. */
public final class Responses {

    private Responses() {
    }

    /**
     * Writes {@code answer}'s status, headers and body to {@code response}. Its headers replace those of the same name
     * already set (a replay's original {@code X-Request-Id} replaces the one stamped on the request), as Spring MVC's
     * handling of a returned {@link ResponseEntity} does.
     */
    public static void write(ResponseEntity<byte[]> answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> set(response, name, values));
        byte[] body = answer.getBody() == null ? new byte[0] : answer.getBody();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void set(HttpServletResponse response, String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i == 0) {
                response.setHeader(name, values.get(i));
            } else {
                response.addHeader(name, values.get(i));
            }
        }
    }
}
