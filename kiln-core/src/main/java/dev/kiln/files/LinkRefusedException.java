package dev.kiln.files;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;

/** A write or delete was refused because a segment of its path is a symbolic link. */
public final class LinkRefusedException extends KilnException {
    public LinkRefusedException(String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
    }
}
