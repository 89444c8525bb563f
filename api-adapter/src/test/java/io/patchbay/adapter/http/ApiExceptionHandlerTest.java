package io.patchbay.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;

import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;

/** Which failures of a handler are the client's doing (a 4xx) and which are ours (a 500, logged). */
class ApiExceptionHandlerTest {

    @Test
    void aBodyWhoseReadTimedOutIsA408() {
        // what JsonBodies throws when Tomcat's read of a body shorter than its Content-Length times out
        Exception e = new UncheckedIOException(new ClientAbortException(new SocketTimeoutException()));

        assertThat(ApiExceptionHandler.clientErrorStatus(e)).isEqualTo(408);
    }

    @Test
    void aClientThatWentAwayWhileItsBodyWasReadIsA400NotA500() {
        Exception e = new UncheckedIOException(new ClientAbortException(new EOFException()));

        assertThat(ApiExceptionHandler.clientErrorStatus(e)).isEqualTo(400);
    }

    @Test
    void anyOtherFailureIsOurs() {
        assertThat(ApiExceptionHandler.clientErrorStatus(new UncheckedIOException(new java.io.IOException("disk")))).isZero();
        assertThat(ApiExceptionHandler.clientErrorStatus(new IllegalStateException("bug"))).isZero();
    }
}
