package dev.kiln.bench;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kiln.testing.PackageRules;

/** The benchmarks drive the LOCAL trainer through its public API; the harness sits on top of the scenarios. */
@AnalyzeClasses(packages = "dev.kiln.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class BenchArchitectureTest {
    private static final PackageRules RULES = PackageRules.under("dev.kiln.bench")
            .layer("dev.kiln.bench.modules", "dev.kiln.module")
            .layer(
                    "dev.kiln.bench",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.local",
                    "dev.kiln.modelformat",
                    "dev.kiln.module",
                    "dev.kiln.trainer",
                    "dev.kiln.bench.modules")
            .layer(
                    "dev.kiln.bench.scenario",
                    "dev.kiln.checkpoint",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.job",
                    "dev.kiln.local",
                    "dev.kiln.modelformat",
                    "dev.kiln.module",
                    "dev.kiln.modules.datasets",
                    "dev.kiln.modules.text",
                    "dev.kiln.server",
                    "dev.kiln.server.grpc",
                    "dev.kiln.server.http",
                    "dev.kiln.serving",
                    "dev.kiln.serving.task",
                    "dev.kiln.trainer",
                    "dev.kiln.bench",
                    "dev.kiln.bench.modules")
            .layer(
                    "dev.kiln.bench.jmh",
                    "dev.kiln.job",
                    "dev.kiln.local",
                    "dev.kiln.local.runner",
                    "dev.kiln.module",
                    "dev.kiln.trainer",
                    "dev.kiln.bench",
                    "dev.kiln.bench.modules")
            .layer("dev.kiln.bench.jmh.jmh_generated", "dev.kiln.trainer", "dev.kiln.bench.jmh")
            .layer("dev.kiln.bench.calls", "dev.kiln.local", "dev.kiln.bench")
            .layer("dev.kiln.bench.harness", "dev.kiln.bench", "dev.kiln.bench.scenario");

    @ArchTest
    static final ArchRule layers = RULES.dependencies();

    @ArchTest
    static final ArchRule everyPackageHasALayer = RULES.everyPackageListed();

    @ArchTest
    static final ArchRule noPackageCycles = RULES.noCycles();
}
