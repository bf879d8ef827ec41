mod board;
mod consultants;
mod desk;
mod drawer;
mod export_link;
mod leads_rows;
mod leads_table;
mod simulate;
mod site_embed;
mod stages;
mod touch_drag;

pub use board::BoardPage;
pub use consultants::ConsultantsPage;
pub use leads_table::LeadsTablePage;
pub use simulate::SimulatePage;
pub use stages::StagesPage;

crate::lazy_page!(
    /// The CRM board, in its own chunk.
    pub BoardRoute => BoardPage
);
crate::lazy_page!(
    /// The public lead form, in its own chunk.
    pub SimulateRoute => SimulatePage
);
crate::lazy_page!(
    /// The owner's stage setup, in its own chunk.
    pub StagesRoute => StagesPage
);
crate::lazy_page!(
    /// The leads table, in its own chunk (the page ships no wasm; the chunk serves client-side navigation only).
    pub LeadsTableRoute => LeadsTablePage
);
crate::lazy_page!(
    /// The consultants' capacity and availability (staff and owner), in its own chunk.
    pub ConsultantsRoute => ConsultantsPage
);
