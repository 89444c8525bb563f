package io.patchbay.adapter.resource.evaluations;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.patchbay.adapter.http.ApiTimestamps;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ObjectNode;

/** An evaluation in the Autousers response shape (api-contract §3.6): every field present, links absolute. */
final class EvaluationJson {

    private final String publicBaseUrl;

    EvaluationJson(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    ObjectNode render(EvaluationState e) {
        ObjectNode json = JsonValues.MAPPER.createObjectNode();
        json.put("id", e.getId());
        json.put("teamId", e.getTeamId());
        json.put("name", e.getName());
        json.put("description", e.getDescription());
        json.put("type", e.getType().name());
        json.put("status", e.getStatus().name());
        json.put("shareAccess", e.getShareAccess().name());
        json.put("shareRequireEmail", e.getShareRequireEmail());
        json.put("shareRequireName", e.getShareRequireName());
        json.put("shareAllowAnon", e.getShareAllowAnon());
        json.put("shareExpiry", ApiTimestamps.autousers(e.getShareExpiry()));
        json.put("allowMultipleRatings", e.getAllowMultipleRatings());
        json.put("editorsCanShare", e.getEditorsCanShare());
        json.put("browserEngine", e.getBrowserEngine() == null ? null : e.getBrowserEngine().name());
        json.put("useProxy", e.getUseProxy());
        json.put("proxyRegion", e.getProxyRegion());
        json.put("modelId", e.getModelId());
        json.put("createdAt", ApiTimestamps.autousers(e.getCreatedAt()));
        json.put("updatedAt", ApiTimestamps.autousers(e.getUpdatedAt()));
        ObjectNode links = json.putObject("links");
        String base = publicBaseUrl + "/evaluations/" + URLEncoder.encode(e.getId(), StandardCharsets.UTF_8).replace("+", "%20");
        for (String link : new String[] {"preview", "review", "edit", "results", "share"}) {
            links.put(link, base + "/" + link);
        }
        return json;
    }
}
