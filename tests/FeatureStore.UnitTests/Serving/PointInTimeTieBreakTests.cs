using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.UnitTests.Serving;

/// <summary>
/// The historical join's created-time step runs only for a history whose rows may tie (<see cref="ViewFiles.EventTies"/>): on a
/// tie-free history both forms answer alike, and on one with ties the step is what finds the newest created row.
/// </summary>
public sealed class PointInTimeTieBreakTests : IDisposable
{
    private const int Customers = 40;
    private readonly string _directory = Directory.CreateTempSubdirectory("fs-ties-").FullName;
    private string _file = ""; // the view's file of the database last opened

    private static readonly FeatureViewDefinition View = new("p", "activity",
        [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
        new ViewSource("amounts", SourceKind.Batch, "", "event_timestamp", "created"),
        [new FeatureField("amount", FeatureValueType.Float64)], TimeSpan.FromDays(3), ObjectMetadata.Empty, Version: 1);

    private static readonly FeatureSelection Selection = new(
        [new SelectedFeature("amount", new FeatureRef("activity", "amount"), FeatureValueType.Float64, View, null)], [View], [], null);

    [Fact]
    public void A_tie_free_history_skips_the_step_and_answers_as_the_step_does()
    {
        using var connection = Open(withTies: false);
        var skipped = Answer(connection, eventTies: false, out var query);
        Assert.DoesNotContain("m0 AS", query, StringComparison.Ordinal); // no created-time step
        Assert.Equal(Answer(connection, eventTies: true, out _), skipped);
        // Each row is answered, the newest of its own customer (day d at customer minutes, asked at day d + 12h).
        Assert.Equal(Enumerable.Range(0, Customers * 5).Select(i => (double?)(i % Customers * 100 + i / Customers)), skipped);
    }

    [Fact]
    public void A_history_with_ties_needs_the_step_to_answer_the_newest_created_row()
    {
        using var connection = Open(withTies: true);
        var answered = Answer(connection, eventTies: true, out var query);
        Assert.Contains("m0 AS", query, StringComparison.Ordinal);
        // Every (customer, day) has a second row at the same event time, created later, worth 0.5 more: that one wins.
        Assert.Equal(Enumerable.Range(0, Customers * 5).Select(i => (double?)(i % Customers * 100 + i / Customers + 0.5)), answered);
    }

    /// <summary>A database with the entity rows (each customer at noon of days 0–4) and the view's file: a row per customer and day at
    /// the customer's minute, created a minute later; with ties, a second row at the same event time created an hour later.</summary>
    private DuckDBConnection Open(bool withTies)
    {
        var file = Path.Combine(_directory, $"activity-{withTies}.parquet");
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var tied = withTies
            ? "UNION ALL SELECT customer_id, event_timestamp, event_timestamp + INTERVAL 1 HOUR, amount + 0.5 FROM rows" : "";
        connection.Execute($"""
            SET TimeZone = 'UTC';
            CREATE TABLE rows AS SELECT c AS customer_id,
                TIMESTAMPTZ '2024-06-01 00:00:00+00' + to_days(d::INTEGER) + to_minutes(c) AS event_timestamp,
                TIMESTAMPTZ '2024-06-01 00:00:00+00' + to_days(d::INTEGER) + to_minutes(c + 1) AS created,
                (c * 100 + d)::DOUBLE AS amount
              FROM range({Customers}) t(c), range(5) s(d);
            COPY (SELECT customer_id, event_timestamp AS {FeatureNames.EventTimestamp}, created AS {FeatureNames.CreatedTimestamp},
                         amount FROM (SELECT * FROM rows {tied}) ORDER BY random()) TO '{file}' (FORMAT PARQUET);
            CREATE TABLE {PointInTimeJoinSql.EntityTable} AS
              SELECT (d * {Customers} + c) AS {PointInTimeJoinSql.RowColumn}, c AS customer_id,
                     TIMESTAMPTZ '2024-06-01 12:00:00+00' + to_days(d::INTEGER) AS event_timestamp
              FROM range({Customers}) t(c), range(5) s(d);
            """);
        _file = file;
        return connection;
    }

    private List<double?> Answer(DuckDBConnection connection, bool eventTies, out string query)
    {
        var reach = new TimeWindow(DateTimeOffset.Parse("2024-05-01T00:00:00Z", CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2024-07-01T00:00:00Z", CultureInfo.InvariantCulture));
        query = PointInTimeJoinSql.Query(Selection, [new ViewFiles(View, [new LocalFile(_file, [])], reach, EventTies: eventTies)],
            "event_timestamp", ["customer_id", "event_timestamp"]);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT amount FROM ({query})";
        using var reader = command.ExecuteReader();
        var values = new List<double?>();
        while (reader.Read()) values.Add(reader.IsDBNull(0) ? null : reader.GetDouble(0));
        return values;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
