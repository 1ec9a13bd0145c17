using System.Globalization;
using System.Reflection;

namespace FeatureStore.Samples.Text;

/// <summary>
/// A lexicon-and-rules sentiment score in the manner of VADER (Hutto and Gilbert, 2014), over VADER's own
/// lexicon (embedded at build time with its licence, see the project file). Each word's valence comes from the
/// lexicon and is adjusted by the rules that matter most in reviews: a negation within the three words before
/// it flips and dampens it, an intensifier ("very", "barely") scales it, a word in capitals amid lower-case
/// text stresses it, the clause after "but" outweighs the one before, and exclamation marks amplify the
/// whole. The sum is normalised into a compound score in [−1, 1].
/// </summary>
public sealed class SentimentAnalyzer
{
    private const double CapsStress = 0.733;
    private const double BoosterStep = 0.293;
    private const double NegationScale = -0.74;
    private const double ExclamationStep = 0.292;
    private const double NormalisationAlpha = 15;

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "without", "cannot", "cant", "dont",
        "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont", "wouldnt", "shouldnt", "couldnt", "hasnt", "havent", "hadnt", "aint",
    };

    private static readonly Dictionary<string, double> Boosters = new(StringComparer.Ordinal)
    {
        ["absolutely"] = 1, ["completely"] = 1, ["extremely"] = 1, ["highly"] = 1, ["incredibly"] = 1, ["really"] = 1, ["so"] = 1,
        ["totally"] = 1, ["very"] = 1, ["most"] = 1, ["more"] = 1, ["especially"] = 1, ["super"] = 1, ["truly"] = 1, ["always"] = 1,
        ["barely"] = -1, ["hardly"] = -1, ["slightly"] = -1, ["somewhat"] = -1, ["kinda"] = -1, ["little"] = -1, ["marginally"] = -1,
        ["partly"] = -1, ["less"] = -1, ["occasionally"] = -1,
    };

    private static readonly Lazy<SentimentAnalyzer> Shared = new(() => new SentimentAnalyzer(LoadLexicon()));

    private readonly IReadOnlyDictionary<string, double> lexicon;

    public SentimentAnalyzer(IReadOnlyDictionary<string, double> lexicon) => this.lexicon = lexicon;

    /// <summary>The analyzer over VADER's lexicon.</summary>
    public static SentimentAnalyzer Vader => Shared.Value;

    /// <summary>The licence and notice the lexicon ships with.</summary>
    public static string LexiconLicense => ReadResource("vader/LICENSE") + "\n" + ReadResource("vader/NOTICE");

    public int LexiconSize => lexicon.Count;

    /// <summary>The compound score of a text: below −0.05 negative, above 0.05 positive, between them neutral.</summary>
    public double Compound(string text)
    {
        var words = Words(text);
        var mixedCase = words.Any(w => !IsShouting(w.Raw)) && words.Any(w => IsShouting(w.Raw));
        var valences = new double[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i].Lower;
            if (Boosters.ContainsKey(word) || !lexicon.TryGetValue(word, out var valence)) continue;
            if (mixedCase && IsShouting(words[i].Raw)) valence += Math.Sign(valence) * CapsStress;
            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var before = words[i - back];
                var damping = back switch { 1 => 1.0, 2 => 0.95, _ => 0.9 };
                if (Boosters.TryGetValue(before.Lower, out var direction))
                {
                    var step = direction * BoosterStep + (mixedCase && IsShouting(before.Raw) ? direction * CapsStress : 0);
                    valence += Math.Sign(valence) * step * damping;
                }
                if (Negations.Contains(before.Lower)) valence *= NegationScale;
            }
            valences[i] = valence;
        }
        // "but" turns the sentence: what follows it counts more than what precedes it.
        var but = words.FindIndex(w => w.Lower == "but");
        if (but >= 0)
            for (var i = 0; i < valences.Length; i++)
                valences[i] *= i < but ? 0.5 : i > but ? 1.5 : 1;

        var sum = valences.Sum();
        var exclamations = Math.Min(4, text.Count(c => c == '!'));
        if (sum != 0) sum += Math.Sign(sum) * exclamations * ExclamationStep;
        return Math.Clamp(sum / Math.Sqrt(sum * sum + NormalisationAlpha), -1, 1);
    }

    private readonly record struct Word(string Raw, string Lower);

    private static List<Word> Words(string text)
    {
        var words = new List<Word>();
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var raw = token.Trim(Punctuation);
            if (raw.Length <= 1) continue;
            // "isn't" and "isnt" are the same negation.
            words.Add(new Word(raw, raw.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal)));
        }
        return words;
    }

    private static readonly char[] Punctuation = ".,;:!?\"()[]{}…-".ToCharArray();

    private static bool IsShouting(string word) => word.Any(char.IsLetter) && word.All(c => !char.IsLetter(c) || char.IsUpper(c));

    /// <summary>VADER's lexicon: a word, its mean valence (−4 to 4), then its spread and raters' scores, tab-separated.</summary>
    private static Dictionary<string, double> LoadLexicon()
    {
        var lexicon = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in ReadResource("vader/vader_lexicon.txt").Split('\n'))
        {
            var fields = line.Split('\t');
            if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var valence))
                lexicon[fields[0]] = valence;
        }
        return lexicon;
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"resource '{name}' is missing: the build fetches it " +
                               "(see FeatureStore.Samples.csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
