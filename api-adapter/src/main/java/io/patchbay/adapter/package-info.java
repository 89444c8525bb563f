/**
 * The adapter: the two HTTP APIs (Autousers evaluations, Respan automations) in front of the commands topics. Start
 * reading at {@link io.patchbay.adapter.web.ResourceController} (every resource route, one path), then
 * {@link io.patchbay.adapter.command.CommandSubmitter} (Idempotency-Key, publish, wait for the outcome); what differs
 * between the resource types is {@link io.patchbay.adapter.resource.ResourceApi}. Settings are
 * {@link io.patchbay.adapter.AdapterProperties}; {@code config} wires it.
 */
package io.patchbay.adapter;
