package org.emma4j.bench.gpu;

/**
 * One line of the GPU check's table: what was measured, the number, and how it compares with the card.
 * Printed as {@code ROW<TAB>what<TAB>value<TAB>comparison} so that bench/gpu-check.sh can collect the rows of
 * every stage into one table.
 */
record GpuRow(String what, String value, String comparison) {

    String line() {
        return "ROW\t" + what + "\t" + value + "\t" + comparison;
    }
}
