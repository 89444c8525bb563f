package io.patchbay.devstack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.TestAbortedException;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import io.patchbay.devstack.infra.InfrastructureUnavailableException;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.devstack.infra.PostgresServer;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.processor.transport.CommandBatchListener;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.Topics;
import io.patchbay.store.jdbi.StorePlugin;
import io.patchbay.testing.data.TestData;
import io.patchbay.testing.data.TestStates;
import io.patchbay.testing.http.ApiClient;
import io.patchbay.testing.kafka.KafkaTopics;

/**
 * patchbay as devstack runs it (both apps in this JVM, the demo data) on the shared real infrastructure, started once
 * per test JVM, as a JUnit extension every end-to-end test class registers:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PatchbayStack fx = PatchbayStack.shared();
 * }</pre>
 *
 * Its parts are the test fixtures' own: {@link #http()} for both APIs, {@link #data()} for fresh rows of a test,
 * {@link #kafka()} for what is on the topics; plus the demo keys' tokens and the processor's listener.
 */
public final class PatchbayStack implements BeforeAllCallback {

    /** created_at (and first updated_at) of automations made by {@link #insertAutomation}. */
    public static final Instant AUTOMATION_CREATED_AT = Instant.parse("2025-01-15T10:30:00Z");

    private static final PatchbayStack SHARED = new PatchbayStack("e2e", Map.of());

    private final String name;
    private final Map<String, String> overrides;
    private Started started;

    private record Started(SharedInfrastructure.Namespace namespace, PatchbayApps apps, DemoData.Facts demo, Jdbi jdbi,
                           ApiClient http, TestData data, KafkaTopics kafka) {
    }

    private PatchbayStack(String name, Map<String, String> overrides) {
        this.name = name;
        this.overrides = overrides;
    }

    /** The JVM's stack; it starts when the first test class that registers it starts. */
    public static PatchbayStack shared() {
        return SHARED;
    }

    /**
     * A stack of its own on a new namespace, for a test whose records would disturb the shared one (hostile records on
     * the command topics, say); the test class closes it with {@link #close()}.
     */
    public static PatchbayStack ofItsOwn(String name) {
        return new PatchbayStack(name, Map.of());
    }

    /**
     * A stack of its own whose apps run with {@code overrides} of their properties (a processor setting under test,
     * say); the test class closes it with {@link #close()}.
     */
    public static PatchbayStack ofItsOwn(String name, Map<String, String> overrides) {
        return new PatchbayStack(name, Map.copyOf(overrides));
    }

    /** Stops a stack from {@link #ofItsOwn} (the shared one stops with the JVM). */
    public synchronized void close() {
        if (started != null) {
            started.kafka().close();
            started.apps().close();
            started = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            started();
        } catch (InfrastructureUnavailableException e) {
            throw new TestAbortedException(e.getMessage(), e);
        }
    }

    private synchronized Started started() {
        if (started == null) {
            SharedInfrastructure.Namespace ns = SharedInfrastructure.newNamespace(name);
            PatchbayApps apps = PatchbayApps.start(new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(),
                    ns.registryUrl(), ns.topicPrefix(), 0, "https://app.example.com"), properties());
            if (this == SHARED) {
                Runtime.getRuntime().addShutdownHook(new Thread(apps::close));
            }
            Jdbi jdbi = Jdbi.create(ns.jdbcUrl(), PostgresServer.USER, "").installPlugin(new StorePlugin());
            DemoData.Facts demo = DemoData.seed(jdbi, PatchbayApps.apiKeyHasher());
            started = new Started(ns, apps, demo, jdbi, new ApiClient(apps.httpPort()), new TestData(jdbi, PatchbayApps.apiKeyHasher()),
                    new KafkaTopics(ns.bootstrapServers(), ns.registryUrl(), new Topics(ns.topicPrefix())));
        }
        return started;
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new java.util.HashMap<>(Map.of(
                // Every test of this JVM calls from 127.0.0.1, many with wrong keys on purpose: the failed-authentication
                // limits (FailedAuthenticationIT tests them on an adapter of its own) would turn later 401s into 429s.
                "patchbay.api.failed-authentication.per-address", "1000000",
                "patchbay.api.failed-authentication.per-key", "1000000"));
        properties.putAll(overrides);
        return properties;
    }

    /** The HTTP client of the adapter, for both APIs. */
    public ApiClient http() {
        return started().http();
    }

    /** Fresh rows for a test in the stack's database. */
    public TestData data() {
        return started().data();
    }

    /** The stack's topics, read and written with the project's serdes. */
    public KafkaTopics kafka() {
        return started().kafka();
    }

    public Topics topics() {
        return new Topics(started().namespace().topicPrefix());
    }

    /** The stack's database, configured as the apps configure it. */
    public Jdbi jdbi() {
        return started().jdbi();
    }

    public SharedInfrastructure.Namespace namespace() {
        return started().namespace();
    }

    public PatchbayApps apps() {
        return started().apps();
    }

    /** The bearer token of the demo key {@code keyId}. */
    public String token(String keyId) {
        return started().demo().key(keyId).token();
    }

    /** A new API key of {@code teamId}, revoked a second ago when {@code revoked}; returns its bearer token. */
    public String insertKey(String teamId, String role, List<String> scopes, boolean revoked) {
        return data().newApiKey(teamId, role, scopes, null, revoked ? Instant.now().minusSeconds(1) : null);
    }

    /**
     * Inserts a fresh automation of {@code teamId} with a unique id and slug, enabled, sampling rate 0.1, the team's
     * demo relevance and toxicity evaluators and its demo condition, created and updated at
     * {@link #AUTOMATION_CREATED_AT}; {@code customize} may change any of that. Returns it as the repository reads it.
     */
    public AutomationState insertAutomation(String teamId, Consumer<AutomationState.Builder> customize) {
        String t = teamId.substring(teamId.indexOf('_') + 1);
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        AutomationState.Builder builder = TestStates.automation("auto_it_" + suffix, teamId, "it_monitor_" + suffix)
                .setName("Production Quality Monitor")
                .setEvaluatorIds(List.of("evl_" + t + "_relevance", "evl_" + t + "_toxicity"))
                .setConfiguration(new AutomationConfiguration(0.1, List.of()))
                .setCreatedAt(AUTOMATION_CREATED_AT).setUpdatedAt(AUTOMATION_CREATED_AT);
        customize.accept(builder);
        return data().insertAutomation(builder.build(), "cond_" + t + "_success");
    }

    /** Stops the processor from taking new commands (commands then stay in flight); see {@link #resumeProcessor()}. */
    public void pauseProcessor() {
        MessageListenerContainer container = processorContainer();
        container.pause();
        Poll.until("the processor's container pauses", Duration.ofSeconds(30), container::isContainerPaused);
    }

    public void resumeProcessor() {
        processorContainer().resume();
    }

    private MessageListenerContainer processorContainer() {
        return apps().processor().getBean(KafkaListenerEndpointRegistry.class).getListenerContainer(CommandBatchListener.ID);
    }
}
