package dev.kiln.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kiln.error.KilnException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;

/** Reads records from one file as JSON nodes, chosen by the file's extension: JSON Lines, JSON array or CSV. */
enum RecordFormat {
    JSON_LINES,
    JSON_ARRAY,
    CSV;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV_MAPPER = new CsvMapper();

    /** The format for a file name; unknown extensions are an error naming the file. */
    static RecordFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSON_LINES;
        } else if (name.endsWith(".json")) {
            return JSON_ARRAY;
        } else if (name.endsWith(".csv")) {
            return CSV;
        }
        throw KilnException.invalidArgument(
                "Cannot read data file " + file + ": unknown extension (expected .jsonl, .ndjson, .json or .csv)");
    }

    /** Opens the file and iterates its records; the iterator closes the file when exhausted. */
    RecordIterator open(Path file) {
        try {
            return switch (this) {
                case JSON_LINES -> new JsonLinesIterator(file, new BufferedInputStream(Files.newInputStream(file)));
                case JSON_ARRAY -> new JsonArrayIterator(file, JSON.getFactory().createParser(file.toFile()));
                case CSV ->
                    new CsvIterator(
                            file,
                            CSV_MAPPER
                                    .readerFor(JsonNode.class)
                                    .with(CsvSchema.emptySchema().withHeader())
                                    .readValues(file.toFile()));
            };
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw KilnException.notFound("Data file not found: " + file);
        } catch (IOException e) {
            throw new KilnException(
                    dev.kiln.error.ErrorCode.INVALID_ARGUMENT,
                    "Cannot read data file " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** An iterator of records that knows where it is, for error messages. */
    abstract static class RecordIterator implements Iterator<JsonNode>, AutoCloseable {
        final Path file;

        RecordIterator(Path file) {
            this.file = file;
        }

        /** The 1-based line of the record last returned. */
        abstract long line();

        @Override
        public abstract void close();

        KilnException bad(long line, String why) {
            return KilnException.invalidArgument("Bad record in " + file + " line " + line + ": " + why);
        }
    }

    private static final class JsonLinesIterator extends RecordIterator {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private JsonNode next;
        private long lineNo;
        private long returnedLine;

        JsonLinesIterator(Path file, InputStream in) {
            super(file);
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            try {
                while (readLine()) {
                    lineNo++;
                    if (isBlank()) {
                        continue;
                    }
                    try {
                        // from bytes, so text that is not UTF-8 is an error on its own line
                        next = JSON.readTree(line.toByteArray());
                    } catch (IOException e) {
                        close();
                        throw bad(lineNo, "not valid JSON (" + firstLine(e.getMessage()) + ")");
                    }
                    return true;
                }
                close();
                return false;
            } catch (IOException e) {
                close();
                throw new KilnException(
                        dev.kiln.error.ErrorCode.INVALID_ARGUMENT,
                        "Cannot read data file " + file + " after line " + lineNo + ": " + e.getMessage(),
                        e);
            }
        }

        /** Reads the next line's bytes, without its end; false at the end of the file. */
        private boolean readLine() throws IOException {
            line.reset();
            int b = in.read();
            if (b < 0) {
                return false;
            }
            while (b >= 0 && b != '\n') {
                line.write(b);
                b = in.read();
            }
            return true;
        }

        private boolean isBlank() {
            for (byte b : line.toByteArray()) {
                if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            JsonNode n = next;
            next = null;
            returnedLine = lineNo;
            return n;
        }

        @Override
        long line() {
            return returnedLine;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing a stream we only read from
            }
        }
    }

    private static final class JsonArrayIterator extends RecordIterator {
        private final JsonParser parser;
        private boolean started;
        private boolean done;
        private JsonNode next;
        private long line;

        JsonArrayIterator(Path file, JsonParser parser) {
            super(file);
            this.parser = parser;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                if (!started) {
                    started = true;
                    if (parser.nextToken() != JsonToken.START_ARRAY) {
                        close();
                        throw bad(parser.currentLocation().getLineNr(), "a .json data file must hold a JSON array");
                    }
                }
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) {
                    close();
                    return false;
                }
                line = parser.currentLocation().getLineNr();
                next = JSON.readTree(parser);
                return true;
            } catch (IOException e) {
                long at = parser.currentLocation().getLineNr();
                close();
                throw bad(at, "not valid JSON (" + firstLine(e.getMessage()) + ")");
            }
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            JsonNode n = next;
            next = null;
            return n;
        }

        @Override
        long line() {
            return line;
        }

        @Override
        public void close() {
            done = true;
            try {
                parser.close();
            } catch (IOException ignored) {
                // closing a parser we only read from
            }
        }
    }

    private static final class CsvIterator extends RecordIterator {
        private final MappingIterator<JsonNode> rows;
        private long line;

        CsvIterator(Path file, MappingIterator<JsonNode> rows) {
            super(file);
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            try {
                boolean more = rows.hasNextValue();
                if (!more) {
                    close();
                }
                return more;
            } catch (IOException e) {
                long at = rows.getCurrentLocation().getLineNr();
                close();
                throw bad(at, firstLine(e.getMessage()));
            }
        }

        @Override
        public JsonNode next() {
            try {
                JsonNode row = rows.nextValue();
                line = rows.getParser().currentTokenLocation().getLineNr();
                return row;
            } catch (IOException e) {
                long at = rows.getCurrentLocation().getLineNr();
                close();
                throw bad(at, firstLine(e.getMessage()));
            }
        }

        @Override
        long line() {
            return line;
        }

        @Override
        public void close() {
            try {
                rows.close();
            } catch (IOException ignored) {
                // closing an iterator we only read from
            }
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
