package dev.kiln.slurm;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kiln.testing.PackageRules;

/** The SLURM trainer shares job code through the trainer base, never the LOCAL trainer; its Slurm tools know only errors. */
@AnalyzeClasses(packages = "dev.kiln.slurm", importOptions = ImportOption.DoNotIncludeTests.class)
class SlurmArchitectureTest {
    private static final PackageRules RULES = PackageRules.under("dev.kiln.slurm")
            .layer("dev.kiln.slurm.scheduler", "dev.kiln.error")
            .layer(
                    "dev.kiln.slurm.jobdir",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.module",
                    "dev.kiln.trainer",
                    "dev.kiln.worker")
            .layer(
                    "dev.kiln.slurm",
                    "dev.kiln.checkpoint",
                    "dev.kiln.error",
                    "dev.kiln.files",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.modelformat",
                    "dev.kiln.module",
                    "dev.kiln.time",
                    "dev.kiln.trainer",
                    "dev.kiln.trainer.base",
                    "dev.kiln.worker",
                    "dev.kiln.slurm.jobdir",
                    "dev.kiln.slurm.scheduler");

    @ArchTest
    static final ArchRule layers = RULES.dependencies();

    @ArchTest
    static final ArchRule everyPackageHasALayer = RULES.everyPackageListed();

    @ArchTest
    static final ArchRule noPackageCycles = RULES.noCycles();
}
