/**
 * The contract both apps share: the Avro records generated from {@code src/main/avro} (commands, change events,
 * results, states), {@link io.patchbay.schemas.Topics} (topic names) and {@link io.patchbay.schemas.Ids}. The rules
 * both apps apply are in {@code rules}, the serdes (Confluent wire format) in {@code serde}, the settings both apps
 * bind in {@code config}. Released schemas are checked for compatibility at build time.
 */
package io.patchbay.schemas;
