package dev.tributary.core;

import java.time.Duration;

/**
 * Signalled when a transaction across databases exceeds {@link TransactionOptions#timeout()} before its commit
 * decision; every database was rolled back.
 */
public final class TransactionTimeoutException extends TributaryException {

    private static final long serialVersionUID = 1L;

    public TransactionTimeoutException(String transactionId, Duration timeout) {
        super("Transaction " + transactionId + " exceeded its timeout of " + timeout + " before the commit decision;"
                + " every database was rolled back. Raise TransactionOptions.timeout or make the work shorter");
    }
}
