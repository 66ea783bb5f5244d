package dev.kiln.modules;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kiln.testing.PackageRules;

/** The shipped modules use the module API and data streams, never a trainer. */
@AnalyzeClasses(packages = "dev.kiln.modules", importOptions = ImportOption.DoNotIncludeTests.class)
class ModulesArchitectureTest {
    private static final PackageRules RULES = PackageRules.under("dev.kiln.modules")
            .layer("dev.kiln.modules", "dev.kiln.error")
            .layer("dev.kiln.modules.datasets")
            .layer("dev.kiln.modules.sgd", "dev.kiln.error", "dev.kiln.module", "dev.kiln.modules")
            .layer(
                    "dev.kiln.modules.tabular",
                    "dev.kiln.error",
                    "dev.kiln.data",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.modules",
                    "dev.kiln.modules.sgd")
            .layer(
                    "dev.kiln.modules.text",
                    "dev.kiln.error",
                    "dev.kiln.data",
                    "dev.kiln.module",
                    "dev.kiln.modules",
                    "dev.kiln.modules.sgd");

    @ArchTest
    static final ArchRule layers = RULES.dependencies();

    @ArchTest
    static final ArchRule everyPackageHasALayer = RULES.everyPackageListed();

    @ArchTest
    static final ArchRule noPackageCycles = RULES.noCycles();
}
