using Microsoft.AspNetCore.Mvc.RazorPages;
using Storefront.Catalog;

namespace Storefront.Pages;

public sealed class IndexModel(ProductCatalog catalog) : PageModel
{
    public IReadOnlyList<Product> Featured { get; private set; } = [];

    public void OnGet() => Featured = [.. catalog.All.Take(3)];
}
