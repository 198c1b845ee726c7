package dev.tributary.federation.catalog;

/**
 * A column of a table as the database stores it.
 *
 * @param name the real name, in the database's case
 * @param dataType the database's type name, as information_schema reports it
 * @param javaType the Java type the driver returns for it ({@code Object} when unknown)
 */
public record ColumnInfo(String name, String dataType, Class<?> javaType) {
}
