//! The parts of a tagged PDF's structure tree that a new `Form` element touches.

use lopdf::{Dictionary, Object, ObjectId};

use super::update::Update;

/// The parts of a tagged PDF's structure tree a new `Form` element touches.
pub(super) struct Structure {
    root_id: ObjectId,
    root: Dictionary,
    parent_id: ObjectId,
    parent: Dictionary,
    next_key: i64,
    new_entries: Vec<Object>,
}

impl Structure {
    /// Reads the structure tree root and its first element (Typst's `Document`), if tagged.
    pub(super) fn read(
        document: &lopdf::Document,
        catalog: &Dictionary,
    ) -> Result<Option<Self>, String> {
        let Ok(root_id) = catalog
            .get(b"StructTreeRoot")
            .and_then(Object::as_reference)
        else {
            return Ok(None);
        };
        let root = document
            .get_dictionary(root_id)
            .map_err(|e| e.to_string())?
            .clone();
        let parent_id = match root.get(b"K") {
            Ok(Object::Reference(id)) => *id,
            Ok(Object::Array(kids)) => kids
                .iter()
                .find_map(|k| k.as_reference().ok())
                .ok_or("strukturträdet har inget element")?,
            _ => return Err("strukturträdet har inget element".into()),
        };
        let parent = document
            .get_dictionary(parent_id)
            .map_err(|e| e.to_string())?
            .clone();
        let next_key = root
            .get(b"ParentTreeNextKey")
            .and_then(Object::as_i64)
            .unwrap_or(0);
        Ok(Some(Self {
            root_id,
            root,
            parent_id,
            parent,
            next_key,
            new_entries: Vec::new(),
        }))
    }

    /// Adds a `Form` element holding the widget; returns the widget's `/StructParent` key.
    pub(super) fn add_form(
        &mut self,
        widget_id: ObjectId,
        page_id: ObjectId,
        update: &mut Update,
    ) -> i64 {
        let form_id = update.reserve();
        let form = Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(b"Form".to_vec())),
            ("P", Object::Reference(self.parent_id)),
            ("Pg", Object::Reference(page_id)),
            (
                "K",
                Object::Dictionary(Dictionary::from_iter([
                    ("Type", Object::Name(b"OBJR".to_vec())),
                    ("Obj", Object::Reference(widget_id)),
                    ("Pg", Object::Reference(page_id)),
                ])),
            ),
        ]);
        update.set(form_id, Object::Dictionary(form));
        let mut kids = match self.parent.get(b"K") {
            Ok(Object::Array(kids)) => kids.clone(),
            Ok(single) => vec![single.clone()],
            Err(_) => Vec::new(),
        };
        kids.push(Object::Reference(form_id));
        self.parent.set("K", Object::Array(kids));
        let key = self.next_key;
        self.next_key += 1;
        self.new_entries
            .extend([Object::Integer(key), Object::Reference(form_id)]);
        key
    }

    /// Stores the changed root, parent element and parent tree in the update.
    pub(super) fn write(
        mut self,
        document: &lopdf::Document,
        update: &mut Update,
    ) -> Result<(), String> {
        let entries = std::mem::take(&mut self.new_entries);
        let (tree_id, mut tree) = match self.root.get(b"ParentTree") {
            Ok(Object::Reference(id)) => (
                Some(*id),
                update
                    .current(document, *id)?
                    .as_dict()
                    .map_err(|e| e.to_string())?
                    .clone(),
            ),
            Ok(Object::Dictionary(tree)) => (None, tree.clone()),
            _ => (None, Dictionary::new()),
        };
        if let Ok(kids) = tree.get(b"Kids").and_then(Object::as_array) {
            // A tree of nodes: the new keys are the largest, so they go in a last leaf.
            let mut kids = kids.clone();
            let limits = vec![entries[0].clone(), entries[entries.len() - 2].clone()];
            let leaf_id = update.reserve();
            update.set(
                leaf_id,
                Object::Dictionary(Dictionary::from_iter([
                    ("Limits", Object::Array(limits)),
                    ("Nums", Object::Array(entries)),
                ])),
            );
            kids.push(Object::Reference(leaf_id));
            tree.set("Kids", Object::Array(kids));
        } else {
            let mut nums = tree
                .get(b"Nums")
                .and_then(Object::as_array)
                .cloned()
                .unwrap_or_default();
            nums.extend(entries);
            tree.set("Nums", Object::Array(nums));
        }
        match tree_id {
            Some(id) => update.set(id, Object::Dictionary(tree)),
            None => self.root.set("ParentTree", Object::Dictionary(tree)),
        }
        self.root
            .set("ParentTreeNextKey", Object::Integer(self.next_key));
        update.set(self.root_id, Object::Dictionary(self.root));
        update.set(self.parent_id, Object::Dictionary(self.parent));
        Ok(())
    }
}
