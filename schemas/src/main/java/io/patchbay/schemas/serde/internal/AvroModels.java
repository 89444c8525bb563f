package io.patchbay.schemas.serde.internal;

import org.apache.avro.specific.SpecificData;

/** The data model of each generated class: its {@code MODEL$}, which carries its logical-type conversions. */
public final class AvroModels {

    private static final ClassValue<SpecificData> MODELS = new ClassValue<>() {
        @Override
        protected SpecificData computeValue(Class<?> type) {
            return SpecificData.getForClass(type);
        }
    };

    private AvroModels() {
    }

    public static SpecificData of(Class<?> generatedClass) {
        return MODELS.get(generatedClass);
    }
}
