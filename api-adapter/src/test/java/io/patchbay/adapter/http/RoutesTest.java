package io.patchbay.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code Allow} of a 405 names only the methods of the route it refuses (RFC 9110 §15.5.6). */
class RoutesTest {

    @ParameterizedTest(name = "{0}: Allow {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/evaluations/eval_acme_draft            | GET, PATCH
            /api/automations/auto_acme_quality             | GET, PATCH
            /api/automations/auto_acme_quality/            | GET, PATCH
            /api/automations/changes/                      | GET, PATCH
            /api/v1/evaluations/changes                    | GET, PATCH
            /api/v1/evaluations/eval_acme_draft/changes    | GET
            /api/automations/auto_acme_quality/changes     | GET
            /api/automations/auto_acme_quality/changes/    | GET
            /api/automations/changes/changes/              | GET
            /api/v1/changes                                | GET
            /api/v1/commands/0196d76b-0000-7000-8000-0000  | GET
            /actuator/health                               | GET
            /v3/api-docs.yaml                              | GET
            /swagger-ui/index.html                         | GET
            """)
    void allowNamesTheMethodsOfTheRoute(String uri, String allow) {
        assertThat(Routes.allow(uri)).isEqualTo(allow);
        assertThat(Routes.methodNotAllowed("PUT", uri).headers()).containsEntry("Allow", allow);
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/changes/", "/api/v1/evaluations//changes", "/api/v1/evaluations/a/changes/",
            "/api/automations//changes/", "/api/automations/a/changes/x", "/api/v1/evaluations/a/b/changes", "/api/v2/changes"})
    void pathsThatAreNoHistoryRouteAreNotTakenForOne(String uri) {
        assertThat(Routes.isHistory(uri)).isFalse();
    }
}
