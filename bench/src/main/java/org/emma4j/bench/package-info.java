/** JMH benchmarks: each measures emma4j beside a baseline or peer in the same run. */
package org.emma4j.bench;
