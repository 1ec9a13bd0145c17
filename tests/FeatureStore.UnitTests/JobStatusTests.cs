using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class JobStatusTests
{
    [Fact]
    public void The_sql_list_of_open_statuses_names_exactly_the_open_ones_as_they_are_stored()
    {
        var open = Enum.GetValues<JobStatus>().Where(s => s.IsOpen()).Select(s => $"'{JsonSerializer.Serialize(s).Trim('"')}'");
        Assert.Equal(JobStatuses.OpenSql, $"({string.Join(", ", open)})");
        Assert.All(Enum.GetValues<JobStatus>(), s => Assert.NotEqual(s.IsOpen(), s.IsFinal()));
    }
}
