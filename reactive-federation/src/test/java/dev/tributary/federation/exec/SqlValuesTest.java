package dev.tributary.federation.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.TributaryException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SqlValuesTest {

    @Test
    void integralKeysOfEveryWidthAndIntegralDecimalsNormalizeToTheSameLong() {
        Object five = SqlValues.keyOf(5L);
        assertThat(five).isEqualTo(5L);
        assertThat(SqlValues.keyOf(5)).isEqualTo(five);
        assertThat(SqlValues.keyOf((short) 5)).isEqualTo(five);
        assertThat(SqlValues.keyOf((byte) 5)).isEqualTo(five);
        assertThat(SqlValues.keyOf(new BigDecimal("5.0"))).isEqualTo(five);
        assertThat(SqlValues.keyOf(new BigDecimal("5"))).isEqualTo(five);
        assertThat(SqlValues.keyOf(new BigDecimal("0.5E1"))).isEqualTo(five);
        assertThat(SqlValues.keyOf(BigInteger.valueOf(5))).isEqualTo(five);
        assertThat(SqlValues.keyOf(5.0d)).isEqualTo(five);
        assertThat(SqlValues.keyOf(5.0f)).isEqualTo(five);
        assertThat(SqlValues.keyOf(new BigDecimal("0.000"))).isEqualTo(0L);
    }

    @Test
    void fractionalDecimalsLoseTrailingZerosAndMatchDoubles() {
        assertThat(SqlValues.keyOf(new BigDecimal("2.50"))).isEqualTo(new BigDecimal("2.5"));
        assertThat(SqlValues.keyOf(2.5d)).isEqualTo(SqlValues.keyOf(new BigDecimal("2.500")));
        assertThat(SqlValues.keyOf(new BigDecimal("2.5"))).isNotEqualTo(SqlValues.keyOf(2));
    }

    @Test
    void integralNumbersBeyondLongBecomeBigIntegerKeys() {
        BigInteger big = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        assertThat(SqlValues.keyOf(big)).isEqualTo(big);
        assertThat(SqlValues.keyOf(new BigDecimal(big).setScale(2))).isEqualTo(big);
        assertThat(SqlValues.keyOf(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stringKeysAreExactAndNullStaysNull() {
        assertThat(SqlValues.keyOf("Abc")).isEqualTo("Abc").isNotEqualTo(SqlValues.keyOf("abc"));
        assertThat(SqlValues.keyOf("5")).isNotEqualTo(SqlValues.keyOf(5));
        assertThat(SqlValues.keyOf('x')).isEqualTo("x");
        assertThat(SqlValues.keyOf(null)).isNull();
        assertThat(SqlValues.keyOf(new byte[] {1, 2})).isEqualTo(SqlValues.keyOf(new byte[] {1, 2}));
    }

    @Test
    void numbersCompareByValueAcrossTypes() {
        assertThat(SqlValues.compare(5, new BigDecimal("5.00"))).isZero();
        assertThat(SqlValues.compare(5L, (short) 6)).isNegative();
        assertThat(SqlValues.compare(new BigDecimal("5.01"), 5)).isPositive();
        assertThat(SqlValues.compare(2.5d, new BigDecimal("2.5"))).isZero();
        assertThat(SqlValues.compare(Double.NaN, Double.POSITIVE_INFINITY)).isPositive();
        assertThat(SqlValues.compare(-0.0d, 0)).isZero();
        assertThat(SqlValues.compare(BigInteger.TEN.pow(30), Long.MAX_VALUE)).isPositive();
    }

    @Test
    void stringsCompareByCodePoint() {
        assertThat(SqlValues.compare("B", "a")).isNegative();
        assertThat(SqlValues.compare("ab", "abc")).isNegative();
        assertThat(SqlValues.compare("x", "x")).isZero();
        // U+1F600 (a surrogate pair) sorts after U+FF5E although its first UTF-16 unit is smaller
        assertThat(SqlValues.compare("\uD83D\uDE00", "\uFF5E")).isPositive();
        assertThat("\uD83D\uDE00".compareTo("\uFF5E")).isNegative();
    }

    @Test
    void datesTimesAndBooleansCompare() {
        assertThat(SqlValues.compare(LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 1))).isPositive();
        assertThat(SqlValues.compare(LocalDate.of(2024, 1, 2), LocalDateTime.of(2024, 1, 2, 0, 0))).isZero();
        assertThat(SqlValues.compare(OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)),
                OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC))).isZero();
        assertThat(SqlValues.compare(false, true)).isNegative();
    }

    @Test
    void incomparableValuesAreAnErrorNamingBoth() {
        assertThatThrownBy(() -> SqlValues.compare("5", 5))
                .isInstanceOf(TributaryException.class)
                .hasMessageContaining("String '5'").hasMessageContaining("Integer 5");
    }

    @Test
    void equalityIsThreeValued() {
        assertThat(SqlValues.equal(5, new BigDecimal("5.0"))).isTrue();
        assertThat(SqlValues.equal(5, 6L)).isFalse();
        assertThat(SqlValues.equal("a", "A")).isFalse();
        assertThat(SqlValues.equal(null, 5)).isNull();
        assertThat(SqlValues.equal(5, null)).isNull();
        assertThat(SqlValues.equal(null, null)).isNull();
    }

    @Test
    void integerArithmeticStaysIntegerAndDivisionTruncates() {
        assertThat(SqlValues.divide(7, 2)).isEqualTo(3);
        assertThat(SqlValues.divide(-7, 2)).isEqualTo(-3);
        assertThat(SqlValues.divide(7L, 2)).isEqualTo(3L);
        assertThat(SqlValues.add(2, (short) 3)).isEqualTo(5);
        assertThat(SqlValues.add(2, 3L)).isEqualTo(5L);
        assertThat(SqlValues.subtract(2, 3)).isEqualTo(-1);
        assertThat(SqlValues.multiply(4, 3)).isEqualTo(12);
        assertThat(SqlValues.modulo(-7, 3)).isEqualTo(-1);
        assertThat(SqlValues.negate((short) 4)).isEqualTo(-4);
    }

    @Test
    void integerOverflowIsAnErrorAsInPostgres() {
        assertThatThrownBy(() -> SqlValues.add(Integer.MAX_VALUE, 1)).hasMessage("integer out of range");
        assertThatThrownBy(() -> SqlValues.multiply(Long.MAX_VALUE, 2)).hasMessage("bigint out of range");
        assertThatThrownBy(() -> SqlValues.divide(Integer.MIN_VALUE, -1)).hasMessage("integer out of range");
        assertThatThrownBy(() -> SqlValues.negate(Long.MIN_VALUE)).hasMessage("bigint out of range");
    }

    @Test
    void anyDecimalOperandMakesADecimalWithPostgresScale() {
        assertThat(SqlValues.divide(new BigDecimal("7.0"), 2)).isEqualTo(new BigDecimal("3.5000000000000000"));
        assertThat(SqlValues.divide(1, new BigDecimal("3"))).isEqualTo(new BigDecimal("0.33333333333333333333"));
        assertThat(SqlValues.divide(new BigDecimal("10"), new BigDecimal("4"))).isEqualTo(new BigDecimal("2.5000000000000000"));
        assertThat(SqlValues.divide(new BigDecimal("123456789"), 1)).isEqualTo(new BigDecimal("123456789.000000000000"));
        assertThat(SqlValues.add(new BigDecimal("1.5"), 2)).isEqualTo(new BigDecimal("3.5"));
        assertThat(SqlValues.multiply(new BigDecimal("1.5"), new BigDecimal("2.25"))).isEqualTo(new BigDecimal("3.375"));
        assertThat(SqlValues.modulo(new BigDecimal("7.5"), 2)).isEqualTo(new BigDecimal("1.5"));
        assertThat(SqlValues.add(1.5d, new BigDecimal("1"))).isEqualTo(2.5d);
    }

    @Test
    void divisionByZeroIsAnError() {
        assertThatThrownBy(() -> SqlValues.divide(1, 0)).isInstanceOf(TributaryException.class).hasMessage("division by zero");
        assertThatThrownBy(() -> SqlValues.divide(new BigDecimal("1.0"), BigDecimal.ZERO)).hasMessage("division by zero");
        assertThatThrownBy(() -> SqlValues.modulo(1L, 0)).hasMessage("division by zero");
        assertThatThrownBy(() -> SqlValues.divide(1.0d, 0)).hasMessage("division by zero");
    }

    @Test
    void nullPropagatesThroughArithmetic() {
        assertThat(SqlValues.add(null, 1)).isNull();
        assertThat(SqlValues.subtract(1, null)).isNull();
        assertThat(SqlValues.multiply(null, null)).isNull();
        assertThat(SqlValues.divide(null, 0)).isNull();
        assertThat(SqlValues.modulo(1, null)).isNull();
        assertThat(SqlValues.negate(null)).isNull();
    }

    @Test
    void dateArithmeticCountsDays() {
        assertThat(SqlValues.add(LocalDate.of(2024, 2, 28), 2)).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(SqlValues.subtract(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 2, 28))).isEqualTo(2);
    }

    @Test
    void arithmeticOnTextIsAnError() {
        assertThatThrownBy(() -> SqlValues.add("a", 1)).isInstanceOf(TributaryException.class)
                .hasMessageContaining("operator does not exist: text + integer");
    }

    @Test
    void likeMatchesPercentUnderscoreAndEscapes() {
        assertThat(SqlValues.like("abc", "a%", null)).isTrue();
        assertThat(SqlValues.like("abc", "%c", null)).isTrue();
        assertThat(SqlValues.like("abc", "%b%", null)).isTrue();
        assertThat(SqlValues.like("abc", "a_c", null)).isTrue();
        assertThat(SqlValues.like("abc", "a_", null)).isFalse();
        assertThat(SqlValues.like("abc", "ABC", null)).isFalse();
        assertThat(SqlValues.like("", "%", null)).isTrue();
        assertThat(SqlValues.like("", "_", null)).isFalse();
        assertThat(SqlValues.like("aXbXc", "%X%X%c", null)).isTrue();
        assertThat(SqlValues.like("mississippi", "%iss%ppi", null)).isTrue();
        assertThat(SqlValues.like("mississippi", "%iss%ppx", null)).isFalse();
        assertThat(SqlValues.like("50%", "50\\%", null)).isTrue();
        assertThat(SqlValues.like("500", "50\\%", null)).isFalse();
        assertThat(SqlValues.like("a_b", "a!_b", '!')).isTrue();
        assertThat(SqlValues.like("axb", "a!_b", '!')).isFalse();
        assertThat(SqlValues.like("\uD83D\uDE00x", "_x", null)).isTrue();
    }

    @Test
    void likePatternEndingWithTheEscapeIsAnError() {
        assertThatThrownBy(() -> SqlValues.like("a", "a!", '!')).isInstanceOf(TributaryException.class)
                .hasMessageContaining("must not end with escape character");
    }
}
