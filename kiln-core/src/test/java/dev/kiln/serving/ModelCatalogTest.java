package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final List<ServedModel> dropped = new ArrayList<>();
    private final ModelCatalog catalog = new ModelCatalog(dropped::add);
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");

    @Test
    void aTrainedModelIsServedUnderItsNameAndUnderTrainingIdSlashName() {
        catalog.addTrained("t1", "spam", Path.of("/out/t1/spam"), "mod", T1);

        assertThat(catalog.get("spam").path()).isEqualTo(Path.of("/out/t1/spam"));
        assertThat(catalog.get("t1/spam").trainingId()).isEqualTo("t1");
        assertThat(catalog.all()).extracting(ServedModel::id).containsExactly("spam", "t1/spam");
    }

    @Test
    void theNewestCompletedTrainingServesASharedNameWhateverTheOrderTheyArrive() {
        catalog.addTrained("newer", "spam", Path.of("/out/newer/spam"), "mod", T2);
        catalog.addTrained("older", "spam", Path.of("/out/older/spam"), "mod", T1);

        assertThat(catalog.get("spam").trainingId()).isEqualTo("newer");
        assertThat(catalog.get("older/spam").path()).isEqualTo(Path.of("/out/older/spam"));
    }

    @Test
    void aRetrainedModelReplacesTheOldOneWhichIsDroppedOnceNoIdServesIt() {
        ServedModel first = catalog.addTrained("t1", "spam", Path.of("/out/t1/spam"), "mod", T1);
        catalog.addTrained("t2", "spam", Path.of("/out/t2/spam"), "mod", T2);

        assertThat(catalog.get("spam").trainingId()).isEqualTo("t2");
        assertThat(dropped).isEmpty(); // t1's model is still served as t1/spam
        catalog.removeTraining("t1", "spam");
        assertThat(dropped).extracting(ServedModel::generation).containsExactly(first.generation());
    }

    @Test
    void aRegistrationStillServedUnderAnotherIdIsNotReportedDropped() {
        catalog.addTrained("t1", "spam", Path.of("/out/t1/spam"), "mod", T1);
        catalog.remove("spam");

        assertThat(dropped).isEmpty();
        catalog.remove("t1/spam");
        assertThat(dropped).extracting(ServedModel::id).containsExactly("t1/spam");
    }

    @Test
    void removingATrainingHandsItsNameToTheNewestOtherTraining() {
        catalog.addTrained("t1", "spam", Path.of("/out/t1/spam"), "mod", T1);
        catalog.addTrained("t2", "spam", Path.of("/out/t2/spam"), "mod", T2);

        catalog.removeTraining("t2", "spam");

        assertThat(catalog.get("spam").trainingId()).isEqualTo("t1");
        assertThat(catalog.find("t2/spam")).isEmpty();
        catalog.removeTraining("t1", "spam");
        assertThat(catalog.all()).isEmpty();
    }

    @Test
    void aLocalModelKeepsItsNameAgainstTrainings() {
        catalog.addLocal("spam", Path.of("/models/spam"), "mod", ModelOrigin.LOCAL, T1);
        catalog.addTrained("t2", "spam", Path.of("/out/t2/spam"), "mod", T2);

        assertThat(catalog.get("spam").origin()).isEqualTo(ModelOrigin.LOCAL);
        assertThat(catalog.get("t2/spam").origin()).isEqualTo(ModelOrigin.TRAINED);
    }

    @Test
    void anUnknownIdIsNotFoundNamingIt() {
        assertThatThrownBy(() -> catalog.get("nope"))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("'nope'");
    }
}
