package dev.kiln.server;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kiln.testing.PackageRules;

/** The server reaches trainers only through the trainer SPI, and its API shapes know nothing of the server. */
@AnalyzeClasses(packages = "dev.kiln.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final PackageRules RULES = PackageRules.under("dev.kiln.server")
            .layer("dev.kiln.server.api", "dev.kiln.job", "dev.kiln.module")
            .layer("dev.kiln.server.client", "dev.kiln.error", "dev.kiln.job", "dev.kiln.json", "dev.kiln.server.api")
            .layer("dev.kiln.server.dashboard")
            .layer(
                    "dev.kiln.server.journal",
                    "dev.kiln.error",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.trainer")
            .layer("dev.kiln.server.metrics", "dev.kiln.job", "dev.kiln.module", "dev.kiln.trainer")
            .layer(
                    "dev.kiln.server.jobs",
                    "dev.kiln.error",
                    "dev.kiln.files",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.manager",
                    "dev.kiln.modelformat",
                    "dev.kiln.module",
                    "dev.kiln.trainer",
                    "dev.kiln.server.api",
                    "dev.kiln.server.journal")
            .layer(
                    "dev.kiln.server.serving",
                    "dev.kiln.job",
                    "dev.kiln.serving",
                    "dev.kiln.time",
                    "dev.kiln.server.journal")
            .layer(
                    "dev.kiln.server.predict",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.modelformat",
                    "dev.kiln.predict",
                    "dev.kiln.predict.child",
                    "dev.kiln.serving",
                    "dev.kiln.serving.task")
            .layer(
                    "dev.kiln.server.http",
                    "dev.kiln",
                    "dev.kiln.error",
                    "dev.kiln.files",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.manager",
                    "dev.kiln.module",
                    "dev.kiln.modelformat",
                    "dev.kiln.trainer",
                    "dev.kiln.predict",
                    "dev.kiln.serving",
                    "dev.kiln.serving.task",
                    "dev.kiln.server.api",
                    "dev.kiln.server.dashboard",
                    "dev.kiln.server.jobs",
                    "dev.kiln.server.journal",
                    "dev.kiln.server.metrics",
                    "dev.kiln.server.predict")
            .layer(
                    "dev.kiln.server.grpc",
                    "dev.kiln",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.serving",
                    "dev.kiln.serving.task",
                    "dev.kiln.server.api",
                    "dev.kiln.server.http",
                    "dev.kiln.server.jobs")
            .layer(
                    "dev.kiln.server",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.job",
                    "dev.kiln.manager",
                    "dev.kiln.module",
                    "dev.kiln.trainer",
                    "dev.kiln.predict",
                    "dev.kiln.serving",
                    "dev.kiln.time",
                    "dev.kiln.server.dashboard",
                    "dev.kiln.server.grpc",
                    "dev.kiln.server.http",
                    "dev.kiln.server.jobs",
                    "dev.kiln.server.journal",
                    "dev.kiln.server.metrics",
                    "dev.kiln.server.predict",
                    "dev.kiln.server.serving");

    @ArchTest
    static final ArchRule layers = RULES.dependencies();

    @ArchTest
    static final ArchRule everyPackageHasALayer = RULES.everyPackageListed();

    @ArchTest
    static final ArchRule noPackageCycles = RULES.noCycles();

    @ArchTest
    static final ArchRule trainersOnlyThroughTheSpi = RULES.reachesTrainersOnlyThroughTheSpi();
}
