package dev.kiln.cli;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kiln.testing.PackageRules;

/** Commands reach trainings only through the client; only {@code serve} runs a server and only the remote client talks to one. */
@AnalyzeClasses(packages = "dev.kiln.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliArchitectureTest {
    private static final PackageRules RULES = PackageRules.under("dev.kiln.cli")
            .layer(
                    "dev.kiln.cli.client",
                    "dev.kiln.error",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.modelformat",
                    "dev.kiln.module",
                    "dev.kiln.trainer",
                    "dev.kiln.server.api",
                    "dev.kiln.server.client")
            .layer(
                    "dev.kiln.cli.runs",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.manager",
                    "dev.kiln.module",
                    "dev.kiln.trainer",
                    "dev.kiln.cli.client")
            .layer("dev.kiln.cli.console", "dev.kiln.job", "dev.kiln.json", "dev.kiln.cli.client")
            .layer(
                    "dev.kiln.cli.context",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.server",
                    "dev.kiln.cli.client")
            .layer(
                    "dev.kiln.cli.command",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.job",
                    "dev.kiln.json",
                    "dev.kiln.modelformat",
                    "dev.kiln.module",
                    "dev.kiln.modules",
                    "dev.kiln.modules.datasets",
                    "dev.kiln.modules.text",
                    "dev.kiln.server",
                    "dev.kiln.server.grpc",
                    "dev.kiln.cli.client",
                    "dev.kiln.cli.console",
                    "dev.kiln.cli.context")
            .layer(
                    "dev.kiln.cli",
                    "dev.kiln",
                    "dev.kiln.error",
                    "dev.kiln.config",
                    "dev.kiln.json",
                    "dev.kiln.cli.client",
                    "dev.kiln.cli.command",
                    "dev.kiln.cli.context",
                    "dev.kiln.cli.runs");

    @ArchTest
    static final ArchRule layers = RULES.dependencies();

    @ArchTest
    static final ArchRule everyPackageHasALayer = RULES.everyPackageListed();

    @ArchTest
    static final ArchRule noPackageCycles = RULES.noCycles();

    @ArchTest
    static final ArchRule trainersOnlyThroughTheSpi = RULES.reachesTrainersOnlyThroughTheSpi();
}
