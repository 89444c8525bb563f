package io.patchbay.adapter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The adapter's packages form layers: routes, then submission, then the per-resource seam, then HTTP helpers. */
class AdapterPackagesTest {

    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.patchbay.adapter");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.patchbay.adapter.(**)").should().beFreeOfCycles().check(ADAPTER);
    }

    @Test
    void resourceTypesKnowNothingOfTheSubmissionPathOrTheRoutes() {
        noClasses().that().resideInAPackage("io.patchbay.adapter.resource..")
                .should().dependOnClassesThat().resideInAnyPackage("io.patchbay.adapter.command..", "io.patchbay.adapter.web..")
                .check(ADAPTER);
    }

    @Test
    void resourceTypesDoNotDependOnEachOther() {
        slices().matching("io.patchbay.adapter.resource.(*)..").should().notDependOnEachOther().check(ADAPTER);
    }
}
