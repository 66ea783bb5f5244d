package dev.kiln.testing;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module's package table for ArchUnit: every package of the module is listed with the Kiln packages it may use,
 * a class in an unlisted package fails, and packages form no cycle.
 */
public final class PackageRules {
    private final String root;
    private final Map<String, List<String>> allowed = new LinkedHashMap<>();

    private PackageRules(String root) {
        this.root = root;
    }

    /** A table for the module whose packages all start with {@code root}. */
    public static PackageRules under(String root) {
        return new PackageRules(root);
    }

    /** Lists {@code pkg}: its classes may use its own package, non-Kiln code and only these Kiln packages. */
    public PackageRules layer(String pkg, String... mayUse) {
        allowed.put(pkg, List.of(mayUse));
        return this;
    }

    /** Each listed package uses only what its row allows. */
    public ArchRule dependencies() {
        List<ArchRule> rules = new ArrayList<>();
        allowed.forEach((pkg, mayUse) -> {
            List<String> targets = new ArrayList<>(mayUse);
            targets.add(pkg);
            rules.add(classes()
                    .that()
                    .resideInAPackage(pkg)
                    .should()
                    .onlyDependOnClassesThat(or(
                            resideOutsideOfPackage("dev.kiln.."), resideInAnyPackage(targets.toArray(String[]::new))))
                    .because(pkg + " is a layer that may use only " + mayUse));
        });
        return CompositeArchRule.of(rules).as("every package of " + root + " uses only the layers its row allows");
    }

    /** Every class of the module is in a listed package, so a new package needs a row. */
    public ArchRule everyPackageListed() {
        return classes()
                .should()
                .resideInAnyPackage(allowed.keySet().toArray(String[]::new))
                .as("every class of " + root + " is in a package with a layer rule");
    }

    /**
     * The module reaches trainers only through the trainer SPI ({@code dev.kiln.trainer}, made by {@code
     * dev.kiln.manager}): nothing of the LOCAL or SLURM trainers, their shared base or the worker.
     */
    public ArchRule reachesTrainersOnlyThroughTheSpi() {
        return noClasses()
                .that()
                .resideInAPackage(root + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kiln.local..", "dev.kiln.slurm..", "dev.kiln.trainer.base..", "dev.kiln.worker..")
                .as(root + " reaches trainers only through the trainer SPI");
    }

    /** No two packages of the module depend on each other, directly or through others. */
    public ArchRule noCycles() {
        return slices().matching("dev.kiln.(**)").should().beFreeOfCycles();
    }
}
