using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Messaging.WebFront.Api;

/// <summary>The <c>before</c>/<c>limit</c> query of paged lists, checked like the socket's <c>history</c>.</summary>
internal readonly record struct ApiPaging(long? Before, int Limit)
{
    /// <summary>Parses the query itself, so a malformed number gets the API's problem details like any other mistake.</summary>
    public static (ApiPaging Paging, IResult? Problem) Parse(HttpRequest request, ApiOptions options)
    {
        long? before = null;
        if (request.Query.TryGetValue("before", out var beforeText))
        {
            if (!long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                return (default, ApiProblems.BadRequest("'before' must be a seq of 1 or more."));
            }

            before = value;
        }

        var limit = Math.Min(50, options.MaxPageSize);
        if (request.Query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxPageSize)
            {
                return (default, ApiProblems.BadRequest($"'limit' must be between 1 and {options.MaxPageSize}."));
            }
        }

        return (new ApiPaging(before, limit), null);
    }
}
