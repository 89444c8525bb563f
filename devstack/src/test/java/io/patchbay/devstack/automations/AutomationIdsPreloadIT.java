package io.patchbay.devstack.automations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.patchbay.adapter.resource.automations.AutomationApi;
import io.patchbay.devstack.PatchbayApps;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.testing.junit.TestNamespace;

/**
 * The ids of the automations that exist when an adapter starts are loaded once it is ready, off the request path
 * ({@code AutomationIds}: a remembered id resolves a PATCH's record key without a database round trip).
 */
class AutomationIdsPreloadIT {

    @RegisterExtension
    final TestNamespace ns = TestNamespace.named("automation-ids-preload");

    @Test
    void theIdsOfEveryExistingAutomationAreRememberedOnceTheAdapterIsReady() {
        List<String> seeded = FaultData.seed(ns.jdbi(), 3).automations();
        int existing = ns.jdbi().withHandle(h -> h.createQuery("select count(*) from automation").mapTo(Integer.class).one());
        PatchbayApps.Settings settings = new PatchbayApps.Settings(ns.bootstrapServers(), ns.jdbcUrl(), ns.registryUrl(),
                ns.namespace().topicPrefix(), 0, null);
        try (ConfigurableApplicationContext adapter = PatchbayApps.startAdapter(settings, Map.of())) {
            AutomationApi automations = adapter.getBean(AutomationApi.class);

            Poll.until("the existing automations' ids remembered", Duration.ofSeconds(30),
                    () -> automations.rememberedIds() >= existing);

            assertThat(existing).isGreaterThanOrEqualTo(seeded.size());
            assertThat(automations.rememberedIds()).isEqualTo(existing);
        }
    }
}
