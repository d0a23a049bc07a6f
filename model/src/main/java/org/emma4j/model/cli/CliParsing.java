package org.emma4j.model.cli;

import java.util.Locale;
import org.emma4j.kernels.DType;

/** Small parsers shared by commands, with messages naming the option. */
final class CliParsing {
    private CliParsing() {
    }

    /** "f32"/"float32" or "bf16"/"bfloat16". */
    static DType floatDType(String option, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "f32", "float32", "fp32" -> DType.F32;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw new IllegalArgumentException(option + " must be f32 or bf16, found '" + value + "'");
        };
    }
}
