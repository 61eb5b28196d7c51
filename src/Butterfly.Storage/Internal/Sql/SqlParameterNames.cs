namespace Butterfly.Storage.Internal;

/// <summary>Finds the <c>$name</c> parameters of a statement, in order of first appearance.</summary>
internal static class SqlParameterNames
{
    public static List<string> Find(string sql)
    {
        var names = new List<string>();
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '\'')
            {
                var end = sql.IndexOf('\'', i + 1);
                i = end < 0 ? sql.Length : end;
                continue;
            }

            if (sql[i] != '$')
            {
                continue;
            }

            var start = i;
            i++;
            while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] == '_'))
            {
                i++;
            }

            var name = sql[start..i];
            if (name.Length > 1 && !names.Contains(name))
            {
                names.Add(name);
            }

            i--;
        }

        return names;
    }
}
