using System.Collections.Frozen;

namespace FeatureStore.DuckDb;

/// <summary>
/// The names <see cref="SqlFunctionPolicy"/> allows beyond what DuckDB files under a data category: each computes only from
/// its arguments (or the clock, or a random source) and reads no setting, catalog, file, variable or the environment. A name
/// is added here after reading what it does, never by pattern.
/// </summary>
internal static class SqlFunctionNames
{
    /// <summary>Uncategorized scalar functions and macros, and the names the parser gives syntax (<c>[1, 2]</c>, <c>{a: 1}</c>,
    /// <c>UNNEST</c>, <c>IF</c>).</summary>
    public static readonly FrozenSet<string> Scalar = Names(
        // Operators.
        "!__postfix % & * ** + - ->> / // << >> @ ^ | ~ ~~ ~~* ~~~ !~~ !~~*",
        // Numbers.
        "abs acos acosh add asin asinh atan atan2 atanh bit_count cbrt ceil ceiling cos cosh cot degrees divide even exp " +
        "factorial fdiv floor fmod gamma gcd greatest_common_divisor isfinite isinf isnan lcm least_common_multiple lgamma ln " +
        "log log10 log2 mod multiply nextafter pi pow power radians random round round_even roundbankers sign signbit sin sinh " +
        "sqrt subtract tan tanh trunc xor equi_width_bins bitstring get_bit set_bit bit_position md5_number_lower md5_number_upper",
        // Dates and times (the clock is the request's time, not the server's state).
        "age ago century current_date current_localtime current_localtimestamp date_add date_diff date_part date_sub date_trunc " +
        "datediff datepart datesub datetrunc day dayname dayofmonth dayofweek dayofyear days_in_month decade epoch epoch_ms " +
        "epoch_ns epoch_us era get_current_time get_current_timestamp hour isodow isoyear julian last_day make_date make_time " +
        "make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz microsecond millennium millisecond minute month " +
        "monthname nanosecond normalized_interval now quarter second strftime strptime time_bucket timezone timezone_hour " +
        "timezone_minute to_centuries to_days to_decades to_hours to_microseconds to_millennia to_milliseconds to_minutes " +
        "to_months to_quarters to_seconds to_timestamp to_weeks to_years today transaction_timestamp try_strptime week weekday " +
        "weekofyear year yearweek",
        // Lists, maps, structs, unions, enums, identifiers.
        "array_append array_pop_back array_pop_front array_prepend array_push_back array_push_front array_reverse " +
        "array_to_string array_to_string_comma_default cardinality element_at generate_subscripts list_any_value list_append " +
        "list_approx_count_distinct list_avg list_bit_and list_bit_or list_bit_xor list_bool_and list_bool_or list_count " +
        "list_entropy list_first list_histogram list_kurtosis list_kurtosis_pop list_last list_mad list_max list_median list_min " +
        "list_mode list_prepend list_product list_reverse list_sem list_skewness list_stddev_pop list_stddev_samp " +
        "list_string_agg list_sum list_var_pop list_var_samp map map_concat map_contains map_contains_entry map_contains_value " +
        "map_entries map_extract map_extract_value map_from_entries map_keys map_values row struct_concat struct_contains " +
        "struct_extract struct_extract_at struct_has struct_indexof struct_insert struct_keys struct_pack struct_position " +
        "struct_update struct_values union_extract union_tag union_value enum_code enum_first enum_last enum_range " +
        "enum_range_boundary uuid gen_random_uuid uuidv4 uuidv7 uuid_extract_timestamp uuid_extract_version typeof",
        // JSON values (not json_serialize_sql and its kin, which run or show SQL).
        "array_to_json from_json from_json_strict json json_array json_array_length json_contains json_exists json_extract " +
        "json_extract_path json_extract_path_text json_extract_string json_group_array json_group_object json_group_structure " +
        "json_keys json_merge_patch json_object json_pretty json_quote json_structure json_transform json_transform_strict " +
        "json_type json_valid json_value row_to_json to_json",
        // Small macros and syntax.
        "nullif split_part geomean geometric_mean wavg weighted_avg regexp_split_to_table unnest if ifnull count_star");

    /// <summary>Table functions: generators over values, bounded by <see cref="SqlBounds"/> and the query time limit.</summary>
    public static readonly FrozenSet<string> Table = Names("range generate_series unnest json_each json_tree");

    private static FrozenSet<string> Names(params string[] groups) =>
        groups.SelectMany(g => g.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
