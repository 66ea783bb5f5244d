package dev.kiln.modules.sgd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link SgdLoop} depends on at the end of an epoch, so a resumed training continues exactly where an
 * uninterrupted one would: the parameters, AdaGrad's accumulators, the position of the shuffling generator (how
 * many shuffles it has made since it was seeded), the epoch and the metrics of every epoch so far.
 *
 * @param fingerprint identifies the data and settings the state belongs to; a checkpoint of other data is ignored
 * @param epoch the epochs done
 * @param shuffles how many shuffles the generator has made
 * @param weights the model's weights
 * @param accumulators AdaGrad's accumulated squared gradients
 * @param history the metrics of each epoch done, in order
 */
@SuppressWarnings("ArrayRecordComponent") // a value carried between the loop and its encoding, never compared
record SgdCheckpoint(
        long fingerprint,
        int epoch,
        int shuffles,
        double[][] weights,
        double[][] accumulators,
        List<Map<String, Double>> history) {
    private static final int VERSION = 1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeLong(fingerprint);
            out.writeInt(epoch);
            out.writeInt(shuffles);
            writeMatrix(out, weights);
            writeMatrix(out, accumulators);
            out.writeInt(history.size());
            for (Map<String, Double> metrics : history) {
                out.writeInt(metrics.size());
                for (Map.Entry<String, Double> e : metrics.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeDouble(e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a checkpoint {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not such a checkpoint
     */
    static SgdCheckpoint decode(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("an SGD checkpoint of version " + version + ", not " + VERSION);
            }
            long fingerprint = in.readLong();
            int epoch = in.readInt();
            int shuffles = in.readInt();
            double[][] weights = readMatrix(in);
            double[][] accumulators = readMatrix(in);
            int epochs = in.readInt();
            List<Map<String, Double>> history = new ArrayList<>(epochs);
            for (int i = 0; i < epochs; i++) {
                int size = in.readInt();
                Map<String, Double> metrics = new LinkedHashMap<>();
                for (int j = 0; j < size; j++) {
                    metrics.put(in.readUTF(), in.readDouble());
                }
                history.add(metrics);
            }
            return new SgdCheckpoint(fingerprint, epoch, shuffles, weights, accumulators, history);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an SGD checkpoint: " + e, e);
        }
    }

    private static void writeMatrix(DataOutputStream out, double[][] m) throws IOException {
        out.writeInt(m.length);
        out.writeInt(m.length == 0 ? 0 : m[0].length);
        for (double[] row : m) {
            for (double v : row) {
                out.writeDouble(v);
            }
        }
    }

    private static double[][] readMatrix(DataInputStream in) throws IOException {
        int rows = in.readInt();
        int columns = in.readInt();
        if (rows < 0 || columns < 0 || (long) rows * columns > Integer.MAX_VALUE) {
            throw new IOException("a matrix of " + rows + " x " + columns);
        }
        double[][] m = new double[rows][columns];
        for (double[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = in.readDouble();
            }
        }
        return m;
    }
}
