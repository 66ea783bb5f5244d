package dev.kiln.modules.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * A labelled dataset shipped inside the modules jar (see {@code datasets/README.md} there for where each comes from
 * and its licence). Datasets are extracted to files so they can be passed to trainings as file data streams.
 */
public enum ShippedDataset {
    /** 3,000 e-mails (subject and body text) from the SpamAssassin public corpus, half spam and half ham. */
    SPAM_ASSASSIN("spam/spam_assassin.jsonl.gz", "spam_assassin.jsonl", "label"),
    /** Fisher's 150 iris flowers: four measurements and the species. */
    IRIS("iris/iris.csv", "iris.csv", "species"),
    /** 569 breast tumour samples from Wisconsin: 30 cell-nucleus measurements and the diagnosis. */
    BREAST_CANCER("breast_cancer/breast_cancer.csv", "breast_cancer.csv", "diagnosis"),
    /** 442 diabetes patients: age, sex, body mass index, blood pressure, six blood serum measurements and the
     * disease progression after one year. */
    DIABETES("diabetes/diabetes.csv", "diabetes.csv", "progression");

    private static final String ROOT = "/datasets/";

    private final String resource;
    private final String fileName;
    private final String target;

    ShippedDataset(String resource, String fileName, String target) {
        this.resource = resource;
        this.fileName = fileName;
        this.target = target;
    }

    /** The file name it is extracted to; its extension tells the data stream reader the format. */
    public String fileName() {
        return fileName;
    }

    /** The column or field to predict. */
    public String target() {
        return target;
    }

    /**
     * Writes the dataset (decompressed) into {@code directory} and returns the file; an existing copy is replaced.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public Path extractTo(Path directory) {
        Path target = directory.resolve(fileName);
        try (InputStream in = open()) {
            Files.createDirectories(directory);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract dataset " + name() + " to " + target, e);
        }
    }

    /**
     * Opens the dataset's decompressed bytes.
     *
     * @throws IOException if the resource is missing from the class path
     */
    public InputStream open() throws IOException {
        InputStream in = ShippedDataset.class.getResourceAsStream(ROOT + resource);
        if (in == null) {
            throw new IOException("Dataset resource " + ROOT + resource + " is not on the class path");
        }
        return resource.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }
}
