"""The portfolio document: reading, checking and comparing import/export files (no database code here).

Typical use by the import layer::

    doc = load_document(path)                       # shape: types, enums, ranges, unknown fields
    validate_document(doc, existing=ExistingIds(services=..., outcomes=..., customers=...))  # references, rules
    ... write doc to the graph ...

Both raise one ``BadInput`` whose ``details`` list every problem as ``"<path>: <message>"``.
"""

from graph_itsm.portfolio.canonical import equivalent, normalise
from graph_itsm.portfolio.document import (
    Allocation,
    Budget,
    BusinessCase,
    Complaint,
    ComplaintStatus,
    CostCategory,
    CostItem,
    CostNature,
    Customer,
    CustomerType,
    Dependency,
    Outcome,
    PortfolioDocument,
    Pricing,
    PricingModel,
    Provider,
    RelationshipManager,
    Service,
    ServiceKind,
    ServiceStage,
    Subscription,
    Survey,
)
from graph_itsm.portfolio.parsing import demo_document, document_from_data, load_document, parse_document
from graph_itsm.portfolio.validation import ExistingIds, validate_document

__all__ = [
    "parse_document", "load_document", "document_from_data", "demo_document",
    "validate_document", "ExistingIds", "normalise", "equivalent",
    "PortfolioDocument", "Outcome", "Service", "Dependency", "Pricing", "Customer", "RelationshipManager",
    "Subscription", "CostItem", "Allocation", "Budget", "BusinessCase", "Survey", "Complaint",
    "ServiceKind", "ServiceStage", "Provider", "PricingModel", "CustomerType", "CostCategory", "CostNature",
    "ComplaintStatus",
]
