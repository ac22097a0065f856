import type { Block } from './blocks.schemas.js';
import type { BlockRow } from '../../db/rows.js';

export function toBlock(r: BlockRow): Block {
  return {
    id: r.id,
    label: r.label,
    value: r.value,
    limit: r.limit,
    description: r.description,
    metadata: r.metadata ?? {},
    read_only: r.readOnly,
    hidden: r.hidden,
    tags: r.tags,
    is_template: r.isTemplate,
    template_name: r.templateName,
    preserve_on_migration: r.preserveOnMigration,
    project_id: r.projectId,
    template_id: r.templateId,
    base_template_id: r.baseTemplateId,
    deployment_id: r.deploymentId,
    entity_id: r.entityId,
    created_by_id: null,
    last_updated_by_id: null,
  };
}
