package dev.kiln;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kiln.testing.PackageRules;

/**
 * kiln-core's layers, lowest first. The job model and the trainer SPI know nothing of the code that implements them;
 * the module API knows nothing of how models are stored or trained; the child-JVM runner knows the LOCAL trainer
 * only through the runner SPI.
 */
@AnalyzeClasses(packages = "dev.kiln", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final PackageRules CORE = PackageRules.under("dev.kiln")
            .layer("dev.kiln")
            .layer("dev.kiln.error")
            .layer("dev.kiln.job")
            .layer("dev.kiln.logging")
            .layer("dev.kiln.time")
            .layer("dev.kiln.process")
            .layer("dev.kiln.config", "dev.kiln.error")
            .layer("dev.kiln.files", "dev.kiln.error")
            .layer("dev.kiln.data", "dev.kiln.error", "dev.kiln.files")
            .layer("dev.kiln.module", "dev.kiln.error", "dev.kiln.data")
            .layer(
                    "dev.kiln.modelformat",
                    "dev.kiln",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.files",
                    "dev.kiln.module")
            .layer("dev.kiln.checkpoint", "dev.kiln.error", "dev.kiln.config", "dev.kiln.files", "dev.kiln.module")
            .layer("dev.kiln.json", "dev.kiln.error", "dev.kiln.data", "dev.kiln.module", "dev.kiln.modelformat")
            .layer("dev.kiln.trainer", "dev.kiln.error", "dev.kiln.config", "dev.kiln.job", "dev.kiln.module")
            .layer(
                    "dev.kiln.trainer.base",
                    "dev.kiln.error",
                    "dev.kiln.files",
                    "dev.kiln.job",
                    "dev.kiln.module",
                    "dev.kiln.modelformat",
                    "dev.kiln.time",
                    "dev.kiln.trainer")
            .layer(
                    "dev.kiln.manager",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.modelformat",
                    "dev.kiln.trainer")
            .layer(
                    "dev.kiln.worker",
                    "dev.kiln.checkpoint",
                    "dev.kiln.process",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.logging",
                    "dev.kiln.module",
                    "dev.kiln.modelformat",
                    "dev.kiln.predict",
                    "dev.kiln.serving",
                    "dev.kiln.serving.task")
            .layer(
                    "dev.kiln.serving.task",
                    "dev.kiln.error",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.modelformat")
            .layer(
                    "dev.kiln.serving",
                    "dev.kiln.error",
                    "dev.kiln.files",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.modelformat",
                    "dev.kiln.trainer",
                    "dev.kiln.serving.task")
            .layer("dev.kiln.predict", "dev.kiln.error", "dev.kiln.job", "dev.kiln.json")
            .layer("dev.kiln.local.runner", "dev.kiln.checkpoint", "dev.kiln.job", "dev.kiln.module")
            .layer(
                    "dev.kiln.local.child",
                    "dev.kiln.checkpoint",
                    "dev.kiln.error",
                    "dev.kiln.files",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.modelformat",
                    "dev.kiln.time",
                    "dev.kiln.process",
                    "dev.kiln.worker",
                    "dev.kiln.local.runner")
            .layer(
                    "dev.kiln.local",
                    "dev.kiln.checkpoint",
                    "dev.kiln.error",
                    "dev.kiln.files",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.logging",
                    "dev.kiln.module",
                    "dev.kiln.modelformat",
                    "dev.kiln.time",
                    "dev.kiln.trainer",
                    "dev.kiln.trainer.base",
                    "dev.kiln.local.runner",
                    "dev.kiln.local.child")
            .layer(
                    "dev.kiln.predict.child",
                    "dev.kiln.checkpoint",
                    "dev.kiln.config",
                    "dev.kiln.data",
                    "dev.kiln.job",
                    "dev.kiln.module",
                    "dev.kiln.predict",
                    "dev.kiln.worker",
                    "dev.kiln.time",
                    "dev.kiln.local",
                    "dev.kiln.local.runner",
                    "dev.kiln.local.child");

    @ArchTest
    static final ArchRule layers = CORE.dependencies();

    @ArchTest
    static final ArchRule everyPackageHasALayer = CORE.everyPackageListed();

    @ArchTest
    static final ArchRule noPackageCycles = CORE.noCycles();
}
