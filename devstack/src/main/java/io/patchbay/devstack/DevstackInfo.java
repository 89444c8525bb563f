package io.patchbay.devstack;

import java.nio.file.Path;

import io.patchbay.devstack.infra.EmbeddedInfrastructure;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The facts a devstack user needs, as JSON and as a printed banner with curl commands. */
public final class DevstackInfo {

    private DevstackInfo() {
    }

    public static ObjectNode of(String baseUrl, EmbeddedInfrastructure infrastructure, String jdbcUrl,
                                DemoData.Facts facts) {
        ObjectNode info = JsonValues.MAPPER.createObjectNode();
        info.put("httpBaseUrl", baseUrl);
        info.put("kafkaBootstrapServers", infrastructure.kafka().bootstrapServers());
        info.put("schemaRegistryUrl", infrastructure.registry().url());
        info.put("jdbcUrl", jdbcUrl);
        info.put("jdbcUser", "postgres");
        ArrayNode topics = info.putArray("topics");
        Topics.DEFAULT.all().forEach(topics::add);
        ArrayNode keys = info.putArray("apiKeys");
        for (DemoData.Key key : facts.keys()) {
            ObjectNode k = keys.addObject().put("token", key.token()).put("keyId", key.keyId()).put("team", key.teamId())
                    .put("role", key.role());
            ArrayNode scopes = k.putArray("scopes");
            key.scopes().forEach(scopes::add);
        }
        ArrayNode resources = info.putArray("resources");
        for (DemoData.Resource r : facts.resources()) {
            ObjectNode node = resources.addObject().put("type", r.type()).put("id", r.id()).put("team", r.teamId());
            if (r.slug() != null) {
                node.put("slug", r.slug());
            }
            if (!r.note().isEmpty()) {
                node.put("note", r.note());
            }
        }
        return info;
    }

    public static String banner(ObjectNode info, Path infoFile) {
        String base = info.get("httpBaseUrl").stringValue();
        String editor = "pb.acme_editor.devstack-acme-editor-secret";
        return """

                patchbay devstack is up.
                  HTTP API         %s
                  Kafka            %s
                  Schema registry  %s
                  PostgreSQL       %s (user postgres)
                  Facts as JSON    %s  (every demo key, team, role, scope and resource id)

                Try it (editor key of team_acme):

                  curl -s -X PATCH %s/api/v1/evaluations/eval_acme_draft \\
                    -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                    -d '{"name":"Checkout v2 vs v1","status":"Running"}'

                  curl -s %s/api/v1/evaluations/eval_acme_draft -H 'Authorization: Bearer %s'

                  curl -s -X PATCH %s/api/automations/auto_acme_quality/ \\
                    -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                    -d '{"is_enabled":false,"configuration":{"sampling_rate":0.2}}'

                  curl -s -i -X PATCH %s/api/automations/prod_quality_monitor -H 'Prefer: respond-async' \\
                    -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '{"name":"Quality"}'
                  # then GET the Location it returns, with the same Authorization header

                Team isolation: eval_globex_draft is 404 for acme keys. Ctrl-C stops everything.
                """.formatted(base, info.get("kafkaBootstrapServers").stringValue(),
                info.get("schemaRegistryUrl").stringValue(), info.get("jdbcUrl").stringValue(),
                infoFile.toAbsolutePath(), base, editor, base, editor, base, editor, base, editor);
    }
}
