package org.slf4j;

import org.slf4j.spi.MDCAdapter;

/**
 * Swaps the MDC's adapter for a test: the logging binding tests run with keeps no MDC, so what code puts there could
 * not be seen otherwise. It lives in SLF4J's package because the adapter field is package-private.
 */
public final class MdcAdapters {
    private MdcAdapters() {}

    /** Installs {@code adapter} and returns the one it replaced, to be put back with this method. */
    public static MDCAdapter swap(MDCAdapter adapter) {
        MDCAdapter before = MDC.getMDCAdapter();
        MDC.mdcAdapter = adapter;
        return before;
    }
}
