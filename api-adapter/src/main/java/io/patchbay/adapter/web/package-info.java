/**
 * The adapter's controllers: {@link io.patchbay.adapter.web.ResourceController} for {@code GET} and {@code PATCH} of
 * both resource types, {@link io.patchbay.adapter.web.CommandController} for the status a {@code 202} points to.
 * Checks, parsing and errors live in {@code http} and {@code resource}; the controllers only put them in order.
 */
package io.patchbay.adapter.web;
