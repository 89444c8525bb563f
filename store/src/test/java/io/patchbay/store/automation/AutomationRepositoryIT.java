package io.patchbay.store.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.store.jdbi.ReadRound;
import io.patchbay.store.team.TeamRepository;
import io.patchbay.store.testing.StoreExtension;

/**
 * An automation is named by id or by slug within its team, id first: in one query ({@code resolveId}), in the batch
 * prefetch ({@code lockAll}) and in memory ({@code resolve}) alike.
 */
class AutomationRepositoryIT {

    @RegisterExtension
    static final StoreExtension store = StoreExtension.migrated();

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final Handle h = store.handle();
    private final AutomationRepository automations = new AutomationRepository();
    private final EvaluatorRepository evaluators = new EvaluatorRepository();

    @BeforeEach
    void seed() {
        store.useTransaction(h -> {
            TeamRepository teams = new TeamRepository();
            teams.insert(h, "team_a", "A");
            teams.insert(h, "team_b", "B");
            evaluators.insertCondition(h, "team_a", new ConditionRef("cond_a", "all", "All logs", "single_log"));
            evaluators.insert(h, "team_a", new EvaluatorRef("evl_a", "Relevance", "relevance", "llm"));
            evaluators.insert(h, "team_b", new EvaluatorRef("evl_b", "Other team's", "other", "llm"));
            // auto_2's slug is auto_1's id: the id must win
            automations.insert(h, automation("auto_1", "team_a", "monitor", List.of("evl_a", "evl_b")), "cond_a");
            automations.insert(h, automation("auto_2", "team_a", "auto_1", List.of()), null);
            automations.insert(h, automation("auto_3", "team_b", "monitor", List.of("evl_b")), null);
        });
    }

    @Test
    void anIdIsResolvedBeforeASlugAndOnlyWithinTheTeam() {
        assertThat(resolveId("team_a", "auto_1")).contains("auto_1");
        assertThat(resolveId("team_a", "monitor")).contains("auto_1");
        assertThat(resolveId("team_b", "monitor")).contains("auto_3");
        assertThat(resolveId("team_a", "auto_3")).isEmpty();
        assertThat(resolveId("team_b", "auto_1")).isEmpty();
        assertThat(resolveId("team_a", "missing")).isEmpty();
    }

    @Test
    void theBatchPrefetchLocksWhatEachReferenceNamesAndResolvesItAsTheDatabaseDoes() {
        List<AutomationRepository.Reference> references = List.of(ref("team_a", "auto_1"), ref("team_a", "monitor"),
                ref("team_b", "monitor"), ref("team_a", "auto_3"), ref("team_b", "auto_1"), ref("team_a", "missing"));

        AutomationRepository.Locked locked = automations.lockAll(h, references, List.of());

        assertThat(locked.rows()).extracting(AutomationState::getId).containsExactly("auto_1", "auto_2", "auto_3");
        for (AutomationRepository.Reference reference : references) {
            assertThat(AutomationRepository.resolve(locked.rows(), reference).map(AutomationState::getId))
                    .as("%s", reference).isEqualTo(resolveId(reference.teamId(), reference.idOrSlug()));
        }
    }

    @Test
    void theReadRoundLockReadsTheSameRowsEvaluatorsAndResolutionsAsTheTwoQueries() {
        List<AutomationRepository.Reference> references = List.of(ref("team_a", "auto_1"), ref("team_a", "monitor"),
                ref("team_b", "monitor"), ref("team_a", "missing"));
        AutomationRepository.Locked direct = automations.lockAll(h, references, List.of("evl_b", "evl_missing"));

        ReadRound round = new ReadRound();
        // another query before it, with a parameter of the same name, as the processor's read-ahead does
        ReadRound.Rows<String> teams = round.add("select id from team where id = any(:keys) order by id",
                java.util.Map.of("keys", new String[] {"team_b", "team_a"}), String.class);
        AutomationRepository.PendingLock pending = automations.lockAll(round, references, List.of("evl_b", "evl_missing"));
        round.run(h);
        AutomationRepository.Locked viaRound = pending.get();

        assertThat(teams.list()).containsExactly("team_a", "team_b");
        assertThat(viaRound.rows()).extracting(AutomationState::getId).containsExactly("auto_1", "auto_2", "auto_3");
        assertThat(viaRound.rows()).extracting(AutomationState::getEvaluatorDetails)
                .isEqualTo(direct.rows().stream().map(AutomationState::getEvaluatorDetails).toList());
        assertThat(viaRound.evaluators()).isEqualTo(direct.evaluators()).containsOnlyKeys("evl_a", "evl_b");
        for (AutomationRepository.Reference reference : references) {
            assertThat(AutomationRepository.resolve(viaRound.rows(), reference).map(AutomationState::getId))
                    .as("%s", reference).isEqualTo(resolveId(reference.teamId(), reference.idOrSlug()));
        }
    }

    @Test
    void aReadRoundWithoutReferencesReadsOnlyTheEvaluatorsAskedFor() {
        ReadRound round = new ReadRound();
        AutomationRepository.PendingLock pending = automations.lockAll(round, List.of(), List.of("evl_a"));
        round.run(h);

        assertThat(pending.get().rows()).isEmpty();
        assertThat(pending.get().evaluators()).containsOnlyKeys("evl_a");
    }

    @Test
    void evaluatorDetailsAndConditionComeOnlyFromTheAutomationsTeam() {
        AutomationState read = automations.findByIdOrSlug(h, "team_a", "monitor").orElseThrow();

        assertThat(read.getEvaluatorIds()).containsExactly("evl_a", "evl_b");
        assertThat(read.getEvaluatorDetails()).extracting(EvaluatorRef::getId).containsExactly("evl_a");
        assertThat(read.getCondition().getSlug()).isEqualTo("all");
        assertThat(read.getCreatedAt()).isEqualTo(CREATED);
        assertThat(automations.findByIdOrSlug(h, "team_b", "auto_2")).isEmpty();
    }

    @Test
    void idsListsEveryAutomationWithItsTeamUpToTheLimit() {
        assertThat(automations.ids(h, 10)).containsExactlyInAnyOrder(new AutomationRepository.TeamId("team_a", "auto_1"),
                new AutomationRepository.TeamId("team_a", "auto_2"), new AutomationRepository.TeamId("team_b", "auto_3"));
        assertThat(automations.ids(h, 2)).hasSize(2);
    }

    private Optional<String> resolveId(String team, String idOrSlug) {
        return automations.resolveId(h, team, idOrSlug);
    }

    private static AutomationRepository.Reference ref(String team, String idOrSlug) {
        return new AutomationRepository.Reference(team, idOrSlug);
    }

    private static AutomationState automation(String id, String team, String slug, List<String> evaluatorIds) {
        return AutomationState.newBuilder()
                .setId(id).setTeamId(team).setSlug(slug).setName("Automation " + id).setAutomationType("online_eval")
                .setEvaluatorIds(evaluatorIds).setEvaluatorDetails(List.of()).setIsEnabled(true)
                .setConfiguration(new AutomationConfiguration(0.5, List.of()))
                .setCreatedAt(CREATED).setUpdatedAt(CREATED).setVersion(1L).build();
    }
}
