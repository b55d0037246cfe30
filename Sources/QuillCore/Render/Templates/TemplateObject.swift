import Mustache

// The seam between the pages and the template engine. Pages hand `TemplateSet.render` a context of dictionaries,
// arrays, strings, numbers and `TemplateObject`s; only this folder knows that swift-mustache renders them.

/// A value of a template's context whose fields are made when a template asks for one (a post's date view is made
/// only by a template that shows the date), rather than all at once.
protocol TemplateObject {
    /// The field `name`, or nil when the object has none.
    func child(named name: String) -> Any?
}

// swift-mustache looks such fields up through its `MustacheParent`, which each object already satisfies.
extension Views.PostView: MustacheParent {}
extension Views.DateView: MustacheParent {}
extension SiteView: MustacheParent {}
extension SiteView.Handle: MustacheParent {}
