package io.patchbay.testing.junit;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import org.postgresql.ds.PGSimpleDataSource;

import io.patchbay.devstack.infra.InfrastructureUnavailableException;
import io.patchbay.devstack.infra.SharedInfrastructure;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroDeserializer;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.store.Store;

/**
 * A test's own slice of the JVM's shared real infrastructure (broker, PostgreSQL, registry), in the spirit of Jdbi's
 * {@code JdbiExtension}: a fresh database migrated to patchbay's schema, a topic prefix of its own, and the project's
 * serdes for the registry. Declared as an instance field, each test gets a fresh one; as a static field, the class
 * shares one:
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestNamespace ns = TestNamespace.named("processor");
 * }</pre>
 *
 * When the selected infrastructure cannot run here (container mode without Docker) the test is skipped.
 */
public final class TestNamespace implements BeforeAllCallback, BeforeEachCallback {

    private final String hint;
    private boolean perClass;
    private SharedInfrastructure.Namespace namespace;
    private Jdbi jdbi;

    private TestNamespace(String hint) {
        this.hint = hint;
    }

    /** A namespace whose database and topic prefix are named after {@code hint}. */
    public static TestNamespace named(String hint) {
        return new TestNamespace(hint);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        open();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            open();
        }
    }

    private void open() {
        try {
            namespace = SharedInfrastructure.newNamespace(hint);
        } catch (InfrastructureUnavailableException e) {
            throw new TestAbortedException(e.getMessage(), e);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(namespace.jdbcUrl());
        jdbi = Store.on(dataSource).migrate().jdbi();
    }

    public SharedInfrastructure.Namespace namespace() {
        return namespace;
    }

    /** The namespace's database, migrated, configured as the apps configure it. */
    public Jdbi jdbi() {
        return jdbi;
    }

    public Topics topics() {
        return new Topics(namespace.topicPrefix());
    }

    public String registryUrl() {
        return namespace.registryUrl();
    }

    public String bootstrapServers() {
        return namespace.bootstrapServers();
    }

    public String jdbcUrl() {
        return namespace.jdbcUrl();
    }

    /** A serializer for the namespace's registry, as the apps make it. */
    public ConfluentAvroSerializer<Object> serializer() {
        return ConfluentAvroSerializer.forRegistry(registryUrl());
    }

    /** A deserializer to the generated classes for the namespace's registry, as the apps make it. */
    public ConfluentAvroDeserializer<Object> deserializer() {
        return ConfluentAvroDeserializer.specificForRegistry(registryUrl());
    }
}
