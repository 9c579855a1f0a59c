using System.Text;

namespace Chancery.Core.Documents;

/// <summary>Small text helpers shared by readers, exporters and the archive.</summary>
public static class PlainText
{
    /// <summary>Folds runs of white space (including newlines from XML indentation) to one space and trims.</summary>
    public static string Fold(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
