package dev.tributary.samples.web;

/** A resource that does not exist; rendered as a 404 problem. */
final class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NotFoundException(String message) {
        super(message);
    }
}
