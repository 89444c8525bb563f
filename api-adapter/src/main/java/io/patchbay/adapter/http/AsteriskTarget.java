package io.patchbay.adapter.http;

import java.nio.charset.StandardCharsets;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.tomcat.util.net.SocketEvent;

/**
 * The request target {@code *} ({@code OPTIONS * HTTP/1.1}, RFC 9110 §9.3.7) answered by the API like any other
 * method it does not serve. Tomcat answers {@code OPTIONS *} itself, before any valve or servlet: a bodiless 200 with
 * its own {@code Allow} and no {@code X-Request-Id}. This wraps the connector's adapter: such a request reaches the
 * application as a request for {@code /} marked with {@link #ATTRIBUTE}, and {@link RequestShape} refuses it.
 */
final class AsteriskTarget implements Adapter {

    /** Set on a request whose target was {@code *}. */
    static final String ATTRIBUTE = AsteriskTarget.class.getName();
    private static final byte[] ROOT = "/".getBytes(StandardCharsets.US_ASCII);

    private final Adapter next;

    private AsteriskTarget(Adapter next) {
        this.next = next;
    }

    /** Wraps the adapter of {@code connector} once it is created (at the connector's init). */
    static void install(Connector connector) {
        connector.addLifecycleListener(event -> {
            if (Lifecycle.AFTER_INIT_EVENT.equals(event.getType())
                    && !(connector.getProtocolHandler().getAdapter() instanceof AsteriskTarget)) {
                connector.getProtocolHandler().setAdapter(new AsteriskTarget(connector.getProtocolHandler().getAdapter()));
            }
        });
    }

    @Override
    public void service(Request req, Response res) throws Exception {
        if (req.requestURI().equals("*")) {
            req.setAttribute(ATTRIBUTE, Boolean.TRUE);
            req.requestURI().setBytes(ROOT, 0, ROOT.length);
        }
        next.service(req, res);
    }

    @Override
    public boolean prepare(Request req, Response res) throws Exception {
        return next.prepare(req, res);
    }

    @Override
    public boolean asyncDispatch(Request req, Response res, SocketEvent status) throws Exception {
        return next.asyncDispatch(req, res, status);
    }

    @Override
    public void log(Request req, Response res, long time) {
        next.log(req, res, time);
    }

    @Override
    public void checkRecycled(Request req, Response res) {
        next.checkRecycled(req, res);
    }

    @Override
    public String getDomain() {
        return next.getDomain();
    }
}
