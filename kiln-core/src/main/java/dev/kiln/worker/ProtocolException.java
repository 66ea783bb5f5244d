package dev.kiln.worker;

/** A protocol message or spec that is corrupt, of an unknown kind, or of another protocol version. */
public class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
