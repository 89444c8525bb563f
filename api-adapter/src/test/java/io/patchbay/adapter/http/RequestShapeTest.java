package io.patchbay.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.patchbay.schemas.json.JsonValues;

/** What {@link RequestShape} hands the framework, and what it makes of the actuator's bodiless 404. */
class RequestShapeTest {

    private static MockHttpServletRequest request(String method, String uri, String contentType) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setContentType(contentType);
        request.setAttribute(RequestIds.class.getName(), "0196d76b-0000-7000-8000-000000000000");
        return request;
    }

    /**
     * {@code request} with the encoding CharacterEncodingFilter sets on every request, and, as in Tomcat, the
     * {@code Content-Type} as sent (the mock would append the charset to it).
     */
    private static HttpServletRequest encoded(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getCharacterEncoding() {
                return "UTF-8";
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/*", "application/*; charset=utf-8"})
    void aRequestWithAWildcardContentTypeHasNoEncodingForTheFrameworkToAttachToIt(String contentType)
            throws Exception {
        HttpServletRequest request = encoded(request("GET", "/api/v1/evaluations/a/..d/..b", contentType));
        // What a 404 on an unrouted path did with it: a 500 (DispatcherServlet#noHandlerFound builds these headers).
        if (!contentType.contains("charset")) {
            assertThatIllegalArgumentException().isThrownBy(() -> new ServletServerHttpRequest(request).getHeaders())
                    .withMessageContaining("wildcard");
        }
        MockFilterChain chain = new MockFilterChain();

        new RequestShape().doFilter(request, new MockHttpServletResponse(), chain);

        HttpServletRequest seen = (HttpServletRequest) chain.getRequest();
        assertThat(new ServletServerHttpRequest(seen).getHeaders().getContentType().isConcrete()).isFalse();
        assertThat(seen.getCharacterEncoding()).isNull();
        assertThat(seen.getContentType()).as("JsonBodies still answers a PATCH with it 415").isEqualTo(contentType);
    }

    @Test
    void aConcreteContentTypeIsPassedOnUntouched() throws Exception {
        MockHttpServletRequest request = request("PATCH", "/api/automations/a/", "application/json");
        MockFilterChain chain = new MockFilterChain();

        new RequestShape().doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isSameAs(request);
    }

    @Test
    void theActuatorsBodiless404IsTheApis404WithTheRequestId() throws Exception {
        MockHttpServletRequest request = request("GET", "/actuator/health/livenes#s", null);
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setHeader(RequestIds.HEADER, "0196d76b-0000-7000-8000-000000000000");
        MockFilterChain chain = new MockFilterChain(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setStatus(404);
                resp.flushBuffer();
            }
        });

        new RequestShape().doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo("0196d76b-0000-7000-8000-000000000000");
        assertThat(JsonValues.MAPPER.readTree(response.getContentAsByteArray()).isObject()).isTrue();
    }

    @Test
    void aPathToTheActuatorWithADotOrEmptySegmentIsTheApis404AndNeverReachesIt() throws Exception {
        MockHttpServletRequest request = request("GET", "/actuator/health/..//liveness", null);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        new RequestShape().doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("passed on").isNull();
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(RequestShape.hasDotOrEmptySegment("/actuator/health//liveness")).isTrue();
        assertThat(RequestShape.hasDotOrEmptySegment("/actuator/health/%2E/liveness")).isTrue();
        assertThat(RequestShape.hasDotOrEmptySegment("/actuator/health/liveness")).isFalse();
        assertThat(RequestShape.hasDotOrEmptySegment("/actuator/health/")).as("a trailing slash").isFalse();
    }

    @Test
    void theActuatorsOwnAnswersPassThrough() throws Exception {
        MockHttpServletRequest request = request("GET", "/actuator/health", null);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setStatus(200);
                resp.getOutputStream().write("{\"status\":\"UP\"}".getBytes());
                resp.flushBuffer();
            }
        });

        new RequestShape().doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("{\"status\":\"UP\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PATCH", "OPTIONS", "HEAD"})
    void theErrorPathRequestedDirectlyIsThe404OfAnUnroutedPathForEveryMethod(String method) throws Exception {
        MockHttpServletRequest request = request(method, "/error", null);
        request.setServletPath("/error");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        new RequestShape().doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("the framework never sees it").isNull();
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(JsonValues.MAPPER.readTree(response.getContentAsByteArray()).get("error").get("code").stringValue())
                .isEqualTo("route_not_found");
    }

    @Test
    void theErrorPathReachedThroughDotSegmentsIsStillTheErrorPath() throws Exception {
        MockHttpServletRequest request = request("OPTIONS", "/api/../error", null);
        request.setServletPath("/error");
        MockHttpServletResponse response = new MockHttpServletResponse();

        new RequestShape().doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(404);
    }

    @Test
    void aPathThatOnlyStartsLikeTheErrorPathIsPassedOn() throws Exception {
        MockHttpServletRequest request = request("GET", "/errors", null);
        request.setServletPath("/errors");
        MockFilterChain chain = new MockFilterChain();

        new RequestShape().doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isSameAs(request);
    }
}
