using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureStore.ModelApi.Training;

/// <summary>One row the model sees: the feature vector (in the model's feature order) and, in training, the label.</summary>
public sealed class ChurnExample
{
    public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

public sealed class ChurnScore
{
    [ColumnName("PredictedLabel")]
    public bool PredictedLabel { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}

public static class ChurnSchema
{
    /// <summary>The input schema for a model of <paramref name="featureCount"/> features (the vector's size is fixed per model).</summary>
    public static SchemaDefinition For(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(ChurnExample));
        schema[nameof(ChurnExample.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }
}
